package org.vaespark.prep.pickle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vaespark.core.errors.VaeException;

/**
 * Pickles that ask to build classes or call functions outside the allow-list are rejected naming
 * the global and the file. Each payload would create a file in a temp directory if executed; the
 * reader never executes anything, and the assertion that the file is absent documents it.
 */
class MaliciousPickleTest {
    private static final String FILE = "data_batch_1";

    @TempDir
    Path dir;

    @Test
    void classicProtocol0OsSystem() {
        Path marker = dir.resolve("pwned");
        byte[] p = ascii("cos\nsystem\n(S'touch " + marker + "'\ntR.");
        assertRejected(p, "'os.system'");
        assertFalse(Files.exists(marker));
    }

    @ParameterizedTest
    @CsvSource({"builtins,eval", "os,system", "subprocess,Popen", "posix,system", "numpy,load",
            "__builtin__,eval", "numpy.core.multiarray,_reconstructx", "numpy,frombuffer"})
    void reduceOfAnyOtherGlobalIsRejectedInProtocol2And4(String module, String name) {
        Path marker = dir.resolve("pwned-" + name);
        String command = "touch " + marker;
        ByteArrayOutputStream p2 = new ByteArrayOutputStream();
        p2.writeBytes(new byte[] {(byte) 0x80, 2, '}', 'q', 0});
        p2.writeBytes(ascii("X"));
        p2.writeBytes(le4(4));
        p2.writeBytes(ascii("data" + "c" + module + "\n" + name + "\n"));
        p2.writeBytes(ascii("X"));
        p2.writeBytes(le4(command.length()));
        p2.writeBytes(ascii(command));
        p2.writeBytes(new byte[] {(byte) 0x85, 'R', 's', '.'});
        assertRejected(p2.toByteArray(), "'" + module + "." + name + "'");

        ByteArrayOutputStream p4 = new ByteArrayOutputStream();
        p4.writeBytes(new byte[] {(byte) 0x80, 4, (byte) 0x8c, (byte) module.length()});
        p4.writeBytes(ascii(module));
        p4.writeBytes(new byte[] {(byte) 0x8c, (byte) name.length()});
        p4.writeBytes(ascii(name));
        p4.writeBytes(new byte[] {(byte) 0x93, (byte) 0x8c, (byte) command.length()});
        p4.writeBytes(ascii(command));
        p4.writeBytes(new byte[] {(byte) 0x85, 'R', '.'});
        assertRejected(p4.toByteArray(), "'" + module + "." + name + "'");
        assertFalse(Files.exists(marker));
    }

    @Test
    void pythonReduceObjectInsideTheDict() {
        assertRejected(PythonPickles.bytes(PythonPickles.EVIL_P4), "'posix.system'");
        assertFalse(Files.exists(Path.of("vaespark-pwned")));
    }

    @Test
    void orderedDictByReduceAndByNewobj() {
        assertRejected(PythonPickles.bytes(PythonPickles.ODICT_P2), "'collections.OrderedDict'");
        assertRejected(concat(new byte[] {(byte) 0x80, 2}, ascii("ccollections\nOrderedDict\n)"),
                new byte[] {(byte) 0x81, '.'}), "'collections.OrderedDict'");
    }

    @Test
    void newobjOfAnAllowedGlobalIsStillRejected() {
        assertRejected(concat(new byte[] {(byte) 0x80, 2}, ascii("cnumpy\nndarray\n)"), new byte[] {(byte) 0x81, '.'}),
                "'numpy.ndarray (through NEWOBJ)'");
    }

    @Test
    void instAndObjAreRejected() {
        Path marker = dir.resolve("inst");
        assertRejected(ascii("(S'touch " + marker + "'\nios\nsystem\n."), "'os.system'");
        assertRejected(ascii("(cos\nsystem\nS'x'\no."), "'os.system'");
        assertFalse(Files.exists(marker));
    }

    @Test
    void persistentIdsAndExtensionCodesAreRejected() {
        assertRejected(ascii("Pfile:/etc/passwd\n."), "persistent");
        assertRejected(concat(new byte[] {(byte) 0x80, 2}, ascii("X"), le4(1), ascii("1Q.")), "persistent");
        assertRejected(new byte[] {(byte) 0x80, 2, (byte) 0x82, 1, '.'}, "extension");
    }

    @Test
    void codecsEncodeOnlyWithLatin1() {
        byte[] p = concat(new byte[] {(byte) 0x80, 2}, ascii("c_codecs\nencode\nX"), le4(1), ascii("aX"), le4(5),
                ascii("utf_7"), new byte[] {(byte) 0x86, 'R', '.'});
        assertRejected(p, "encoding 'utf_7'");
    }

    @Test
    void outOfBandBuffersAreRejected() {
        assertRejected(new byte[] {(byte) 0x80, 5, (byte) 0x97, '.'}, "out-of-band");
        assertRejected(new byte[] {(byte) 0x80, 5, (byte) 0x98, '.'}, "out-of-band");
    }

    private static void assertRejected(byte[] pickle, String mention) {
        VaeException e = assertThrows(VaeException.class,
                () -> SafeUnpickler.load(new ByteArrayInputStream(pickle), FILE));
        assertTrue(e.getMessage().contains(mention), e.getMessage());
        assertTrue(e.getMessage().contains(FILE), e.getMessage());
        assertTrue(e.getMessage().contains("byte "), e.getMessage());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] le4(int n) {
        return new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)};
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
