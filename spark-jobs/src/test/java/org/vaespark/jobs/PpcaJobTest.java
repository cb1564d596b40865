package org.vaespark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.train.Shard;
import org.vaespark.prep.DatasetWriter;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.source.SourceData;
import org.vaespark.prep.source.SourceKind;
import org.vaespark.prep.testing.SparkTestSession;

/** PpcaJob end to end through run(...) on a few real MNIST images in [0, 1]: every table written and consistent. */
class PpcaJobTest {
    @TempDir
    Path dir;

    @Test
    void tinyMnistRunWritesThePageAndTablesAndPpcaIsTheMaximum() throws Exception {
        SparkSession spark = SparkTestSession.get();
        String data = dataset(spark, 200, 50);
        Path out = dir.resolve("ppca");
        Settings s = Settings.defaults("data.path=" + data, "data.binarization=none", "ppca.latent-dim=3", "ppca.steps=200",
                "ppca.collapse-active=[1]", "ppca.output=" + out);
        new PpcaJob().run(spark, s);
        for (String f : List.of("ppca.md", "summary.csv", "angles.csv", "matching.csv", "collapse.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        Map<String, String[]> summary = new LinkedHashMap<>();
        for (String line : Files.readAllLines(out.resolve("summary.csv")).subList(1, 10)) {
            String[] parts = line.split(",", -1);
            summary.put(parts[0], parts);
        }
        double ppca = Double.parseDouble(summary.get("train_log_px")[1]);
        double vae = Double.parseDouble(summary.get("train_log_px")[2]);
        double elbo = Double.parseDouble(summary.get("train_elbo")[2]);
        assertTrue(Double.isFinite(ppca) && ppca >= vae - 1e-9 && vae >= elbo - 1e-9, ppca + " >= " + vae + " >= " + elbo);
        assertEquals(ppca, Double.parseDouble(summary.get("rotated_train_log_px")[1]), 1e-6 * Math.abs(ppca));
        assertEquals("", summary.get("train_elbo")[1], "PPCA has no ELBO: the cell is empty, not 0");
        assertEquals(1 + 3, Files.readAllLines(out.resolve("angles.csv")).size());
        assertEquals(1 + 2 * 3, Files.readAllLines(out.resolve("collapse.csv")).size());
        assertTrue(Files.readString(out.resolve("ppca.md")).contains("| exact log p(x), held out |"));
        try (var siblings = Files.list(dir)) {
            assertEquals(List.of("mnist", "ppca"), siblings.map(p -> p.getFileName().toString()).sorted().toList(), "no temp directory left");
        }
        // a binarized encoding is refused with the key named
        VaeException e = assertThrows(VaeException.class, () -> PpcaJob.compare(spark,
                Settings.defaults("data.path=" + data, "data.binarization=dynamic", "ppca.latent-dim=3", "ppca.steps=1", "ppca.collapse-active=[]")));
        assertTrue(e.getMessage().contains("data.binarization"), e.getMessage());
    }

    private String dataset(SparkSession spark, int train, int test) {
        Map<String, List<ImageRecord>> splits = new LinkedHashMap<>();
        splits.put("train", records("train", MnistRows.raw("train", train, 0)));
        splits.put("test", records("test", MnistRows.raw("t10k", test, 0)));
        String out = dir.resolve("mnist").toString();
        DatasetWriter.write(spark, out, splits, Manifest.of(new SourceData(SourceKind.MNIST, 28, 28, 1, splits, List.of()), Instant.now()), false);
        return out;
    }

    private static List<ImageRecord> records(String split, Shard s) {
        List<ImageRecord> records = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            records.add(new ImageRecord(i, split, s.labels()[i], 28, 28, 1, Arrays.copyOfRange(s.pixels(), i * 784, (i + 1) * 784)));
        }
        return records;
    }
}
