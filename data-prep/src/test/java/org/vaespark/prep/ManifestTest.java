package org.vaespark.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.errors.VaeException;

class ManifestTest {
    static Manifest sample() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("train", 50000L);
        counts.put("valid", 10000L);
        counts.put("test", 10000L);
        return new Manifest(Manifest.FORMAT_VERSION, "mnist", 28, 28, 1, "uint8-grey-0-255", false, counts,
                List.of(new Manifest.SourceFile("t10k-labels-idx1-ubyte.gz", 4542,
                        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6")),
                ToolVersion.get(), Instant.parse("2024-01-02T03:04:05Z").toString(), null, null, null);
    }

    @Test
    void jsonRoundTripKeepsEveryFieldAndSplitOrder() {
        Manifest m = sample();
        String json = m.toJson();
        assertTrue(json.contains("\"format_version\" : 1"), json);
        assertTrue(json.contains("\"pixel_encoding\" : \"uint8-grey-0-255\""), json);
        assertTrue(json.contains("\"sha256\" : \"f7ae60f9"), json);
        Manifest back = Manifest.fromJson(json, "test");
        assertEquals(m, back);
        assertEquals(List.of("train", "valid", "test"), List.copyOf(back.counts().keySet()));
        assertEquals(784, back.dimension());
        assertEquals(0, back.count("other"));
    }

    @Test
    void readWritesThroughTheHadoopFileSystem(@TempDir Path dir) throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir.toUri());
        sample().write(fs, root);
        assertEquals(sample(), Manifest.read(fs, root));
        assertThrows(VaeException.class, () -> sample().write(fs, root), "an existing manifest is not overwritten");
    }

    @Test
    void missingManifestSaysWhatIsExpected(@TempDir Path dir) throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        VaeException e = assertThrows(VaeException.class,
                () -> Manifest.read(fs, new org.apache.hadoop.fs.Path(dir.toUri())));
        assertTrue(e.getMessage().contains("_manifest.json") && e.getMessage().contains("prepare job"), e.getMessage());
    }

    @Test
    void unknownFormatVersionIsRejected() {
        String json = sample().toJson().replace("\"format_version\" : 1", "\"format_version\" : 2");
        VaeException e = assertThrows(VaeException.class, () -> Manifest.fromJson(json, "somewhere/manifest.json"));
        assertTrue(e.getMessage().contains("expected 1, found 2"), e.getMessage());
        assertTrue(e.getMessage().contains("somewhere/manifest.json"), e.getMessage());
    }

    @Test
    void malformedJsonIsRejected() {
        assertThrows(VaeException.class, () -> Manifest.fromJson("{\"format_version\": 1, \"height\": ", "m"));
        assertThrows(VaeException.class, () -> Manifest.fromJson("[1, 2]", "m"));
        String noCounts = sample().toJson().replaceAll("(?s)\"counts\" : \\{.*?\\}", "\"counts\" : {}");
        assertThrows(VaeException.class, () -> Manifest.fromJson(noCounts, "m"));
    }

    @Test
    void toolVersionComesFromTheFilteredResource() {
        assertNotEquals(ToolVersion.UNKNOWN, ToolVersion.get());
        assertTrue(ToolVersion.get().matches("\\d+\\.\\d+\\.\\d+.*"), ToolVersion.get());
    }
}
