package org.vaespark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.errors.VaeException;

/**
 * A damaged checkpoint file (a truncated or garbled .npy array, a metadata.json that is not JSON or
 * lacks a field) is one message naming the file, what is wrong and the fix; resume passes over a
 * damaged newest checkpoint to the previous one with a warning of the same form.
 */
class DamagedCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void aTruncatedArrayIsNamedWithWhatIsMissing() throws IOException {
        Path ckpt = CheckpointIO.write(dir, CheckpointCommitTest.checkpoint(1));
        Path array = firstArray(ckpt, "params");
        byte[] whole = Files.readAllBytes(array);
        // cut inside the data, then inside the header (the case that once ended in StringIndexOutOfBoundsException)
        Files.write(array, Arrays.copyOf(whole, whole.length - 7));
        assertDamaged(() -> CheckpointIO.read(ckpt), array, "the file holds " + (whole.length - 7 - 128) + " bytes of data (truncated)");
        Files.write(array, Arrays.copyOf(whole, 100));
        assertDamaged(() -> CheckpointIO.read(ckpt), array, "the .npy header says it is 118 bytes long, but the file has only 90 bytes");
        Files.write(array, Arrays.copyOf(whole, 5));
        assertDamaged(() -> CheckpointIO.read(ckpt), array, "has 5 bytes, fewer than its 10-byte preamble");
    }

    @Test
    void aGarbledArrayHeaderIsNamed() throws IOException {
        Path ckpt = CheckpointIO.write(dir, CheckpointCommitTest.checkpoint(1));
        Path array = firstArray(ckpt, "optimizer/adam_m");
        byte[] bytes = Files.readAllBytes(array);
        byte[] garbled = bytes.clone();
        for (int i = 10; i < 40; i++) {
            garbled[i] = (byte) (i * 37);
        }
        Files.write(array, garbled);
        assertDamaged(() -> CheckpointIO.read(ckpt), array, "the .npy header is not a NumPy header dictionary");
        byte[] badShape = new String(bytes, StandardCharsets.ISO_8859_1).replaceFirst("'shape': \\((\\d+)", "'shape': (x$1")
                .getBytes(StandardCharsets.ISO_8859_1);
        Files.write(array, badShape);
        assertDamaged(() -> CheckpointIO.read(ckpt), array, "unreadable shape");
        bytes[0] = 'P';
        Files.write(array, bytes);
        assertDamaged(() -> CheckpointIO.read(ckpt), array, "not a .npy file");
        Files.write(array, new byte[4096]);
        assertDamaged(() -> CheckpointIO.read(ckpt), array, "not a .npy file");
    }

    @Test
    void badMetadataJsonIsNamedWithLineAndColumn() throws IOException {
        Path ckpt = CheckpointIO.write(dir, CheckpointCommitTest.checkpoint(1));
        Path meta = ckpt.resolve(CheckpointIO.METADATA);
        String json = Files.readString(meta);
        Files.writeString(meta, json.substring(0, json.length() / 2));
        VaeException e = assertDamaged(() -> CheckpointIO.read(ckpt), meta, "it is not valid JSON (line ");
        assertFalse(e.getMessage().contains("[Source"), "no parser source excerpt: " + e.getMessage());
        Files.writeString(meta, "{\"formatVersion\": 1, \"round\": 1,, }");
        assertDamaged(() -> CheckpointIO.read(ckpt), meta, "it is not valid JSON (line 1, column ");
        Files.writeString(meta, json.replace("\"settings\"", "\"settingz\""));
        assertDamaged(() -> CheckpointIO.read(ckpt), meta, "it has no \"settings\" field");
        Files.writeString(meta, json.replace("\"round\" : 1", "\"round\" : \"one\""));
        assertDamaged(() -> CheckpointIO.read(ckpt), meta, "a field has the wrong type");
        Files.writeString(meta, json.replaceFirst("\"settings\" : \"\\{", "\"settings\" : \"{{"));
        assertDamaged(() -> CheckpointIO.read(ckpt), meta, "its \"settings\" field is not a readable configuration");
        Files.writeString(meta, "");
        assertDamaged(() -> CheckpointIO.read(ckpt), meta, "it is empty or not a JSON object");
    }

    @Test
    void resumePassesOverADamagedNewestCheckpointWithTheSameMessage() throws IOException {
        CheckpointIO.write(dir, CheckpointCommitTest.checkpoint(1));
        Path two = CheckpointIO.write(dir, CheckpointCommitTest.checkpoint(2));
        Path three = CheckpointIO.write(dir, CheckpointCommitTest.checkpoint(3));
        Path array = firstArray(three, "optimizer/adam_v");
        Files.write(array, Arrays.copyOf(Files.readAllBytes(array), 100));
        Files.writeString(two.resolve(CheckpointIO.METADATA), "{\"formatVersion\": 1, \"sett");
        List<String> warnings = new ArrayList<>();
        CheckpointIO.Committed c = CheckpointIO.readLatest(dir, (p, why) -> warnings.add(p.getFileName() + ": " + why)).orElseThrow();
        assertEquals(1, c.checkpoint().metadata().round());
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("round-000003: damaged checkpoint: the .npy header says it is 118 bytes long")
                && warnings.get(0).contains("[at " + array + "]") && warnings.get(0).contains("Fix: restore this checkpoint directory"),
                warnings.get(0));
        assertTrue(warnings.get(1).startsWith("round-000002: damaged checkpoint: it is not valid JSON")
                && warnings.get(1).contains("[at " + two.resolve(CheckpointIO.METADATA) + "]"), warnings.get(1));
    }

    private static VaeException assertDamaged(org.junit.jupiter.api.function.Executable read, Path file, String what) {
        VaeException e = assertThrows(VaeException.class, read);
        String m = e.getMessage();
        assertTrue(m.startsWith("damaged checkpoint: ") && m.contains(what), m);
        assertTrue(m.contains("[at " + file + "]"), "names the file: " + m);
        assertTrue(m.contains("Fix: restore this checkpoint directory from a copy, or delete it"), m);
        return e;
    }

    private static Path firstArray(Path ckpt, String sub) throws IOException {
        try (Stream<Path> s = Files.list(ckpt.resolve(sub))) {
            return s.sorted().findFirst().orElseThrow();
        }
    }
}
