package org.vaespark.prep.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vaespark.core.errors.VaeException;

/** Damaged input fails with a {@link VaeException} that names the file and the byte offset. */
class MalformedPickleTest {
    @Test
    void everyTruncationOfARealPickleIsReported() {
        for (String hex : new String[] {PythonPickles.P2, PythonPickles.P4, PythonPickles.P5, PythonPickles.VALUES_P0}) {
            byte[] full = PythonPickles.bytes(hex);
            for (int n = 0; n < full.length; n++) {
                VaeException e = fail(Arrays.copyOf(full, n));
                assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("empty"),
                        "prefix " + n + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("f.pkl, byte "), e.getMessage());
            }
        }
    }

    @Test
    void unknownOpcodeIsNamedWithItsOffset() {
        VaeException e = fail(new byte[] {(byte) 0x80, 2, (byte) 0xff, '.'});
        assertTrue(e.getMessage().contains("unknown pickle opcode 0xff"), e.getMessage());
        assertEquals("f.pkl, byte 2", e.where());
    }

    @Test
    void stackAndMarkErrors() {
        assertTrue(fail(new byte[] {(byte) 0x80, 2, (byte) 0x85, '.'}).getMessage().contains("stack underflow"));
        assertTrue(fail(new byte[] {(byte) 0x80, 2, 'K', 1, 't', '.'}).getMessage().contains("MARK"));
        assertTrue(fail(new byte[] {(byte) 0x80, 2, 'h', 3, '.'}).getMessage().contains("memo key 3"));
        assertTrue(fail(new byte[] {(byte) 0x80, 2, 'K', 1, 'K', 2, 'a', '.'}).getMessage().contains("not a list"));
    }

    @Test
    void hugeDeclaredLengthsAreRefusedWithoutAllocating() {
        byte[] tooBig = {(byte) 0x80, 4, (byte) 0x8e, 0, 0, 0, (byte) 0x80, 0, 0, 0, 0};
        assertTrue(fail(tooBig).getMessage().contains("more than the limit"), fail(tooBig).getMessage());
        byte[] lying = {(byte) 0x80, 3, 'B', (byte) 0xf0, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2, 3};
        assertTrue(fail(lying).getMessage().contains("truncated"), fail(lying).getMessage());
    }

    @Test
    void garbageBytesOnlyEverGiveVaeException() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[1 + random.nextInt(64)];
            random.nextBytes(b);
            try {
                SafeUnpickler.load(new ByteArrayInputStream(b), "g.pkl");
            } catch (VaeException e) {
                assertTrue(e.getMessage().contains("g.pkl, byte "), e.getMessage());
            }
        }
    }

    @Test
    void arrayDataThatDoesNotMatchItsShape() {
        String good = PythonPickles.P4;
        String bad = good.replace("4b014b024b0386", "4b014b024b0486");
        VaeException e = fail(PythonPickles.bytes(bad));
        assertTrue(e.getMessage().contains("does not match its shape"), e.getMessage());
    }

    private static VaeException fail(byte[] pickle) {
        return assertThrows(VaeException.class, () -> SafeUnpickler.load(new ByteArrayInputStream(pickle), "f.pkl"));
    }
}
