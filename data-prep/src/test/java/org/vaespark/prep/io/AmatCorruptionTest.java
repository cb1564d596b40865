package org.vaespark.prep.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.testing.TestFiles;

/** Damaged .amat files built from the first lines of the real valid split; each must fail naming file and line. */
class AmatCorruptionTest {
    private static List<String> lines;

    @TempDir
    Path dir;

    @BeforeAll
    static void firstLines() {
        String all = new String(TestFiles.gunzipBytes(AmatReaderTest.file("valid")), StandardCharsets.US_ASCII);
        lines = Arrays.asList(all.split("\n")).subList(0, 10);
    }

    private Path write(String name, List<String> content) {
        return TestFiles.write(dir, name, (String.join("\n", content) + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static VaeException fails(Path file) {
        return assertThrows(VaeException.class, () -> AmatReader.read(file, "valid"));
    }

    private static void assertMentions(VaeException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message lacks '" + part + "': " + e.getMessage());
        }
    }

    @Test
    void tenGoodLinesRead() {
        assertEquals(10, AmatReader.read(write("good.amat", lines), "valid").size());
    }

    @Test
    void lineWith783ValuesIsReported() {
        List<String> bad = new ArrayList<>(lines);
        bad.set(4, bad.get(4).substring(0, bad.get(4).lastIndexOf(' ')));
        assertMentions(fails(write("short.amat", bad)), "short.amat", "line 5", "783 values", "784");
    }

    @Test
    void valueOtherThanZeroOrOneIsReported() {
        List<String> bad = new ArrayList<>(lines);
        bad.set(2, "2" + bad.get(2).substring(1));
        assertMentions(fails(write("two.amat", bad)), "two.amat", "line 3", "'2'");
    }

    @Test
    void emptyFileIsReported() {
        assertMentions(fails(TestFiles.write(dir, "empty.amat", new byte[0])), "empty.amat", "empty", "line 1");
    }

    @Test
    void emptyGzipFileIsReported() {
        assertMentions(fails(TestFiles.gzip(dir, "empty.amat.gz", new byte[0])), "empty.amat.gz", "empty");
    }

    @Test
    void garbageAfterAValidGzipHeaderIsReported() {
        byte[] bytes = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8};
        assertMentions(fails(TestFiles.write(dir, "garbage.amat.gz", bytes)), "garbage.amat.gz", "invalid gzip data",
                "line 1");
    }

    @Test
    void blankLineBetweenImagesIsReported() {
        List<String> bad = new ArrayList<>(lines.subList(0, 3));
        bad.add("");
        bad.add(lines.get(3));
        assertMentions(fails(write("gap.amat", bad)), "gap.amat", "line 4", "0 values");
    }

    @Test
    void crlfLineEndingsAndTrailingBlankLinesAreAccepted() {
        String text = String.join("\r\n", lines.subList(0, 4)) + "\r\n\r\n";
        Path file = TestFiles.write(dir, "crlf.amat", text.getBytes(StandardCharsets.US_ASCII));
        assertEquals(AmatReader.read(write("lf.amat", lines.subList(0, 4)), "valid"), AmatReader.read(file, "valid"));
    }
}
