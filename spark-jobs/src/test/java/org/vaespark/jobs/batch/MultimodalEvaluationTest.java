package org.vaespark.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.jobs.eval.MetricValue;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * The {@code multimodal} diagnostic (Wu &amp; Goodman 2018) through the evaluate job on real MNIST test images with their
 * labels in {@code local[2]}: an image-label MVAE gets joint and per-modality IWAE, the image → label accuracy, its
 * per-example Parquet and the label → image picture; a halves MVAE the bottom-from-top error and its picture; both land
 * in the leaderboard's multimodal column.
 */
class MultimodalEvaluationTest {
    private static final int IMAGES = 8;
    private static final List<String> MVAE = List.of("model.kind=mvae", "model.multimodal.label-hidden=[16]",
            "data.binarization=dynamic", "model.multimodal.unpaired-fraction=0.2");

    @TempDir
    static Path dir;

    @Test
    void jointAndPerModalityIwaeCrossModalFiguresPicturesAndTheLeaderboard() throws Exception {
        SparkSession spark = SparkTestSession.get();
        String data = SmallRuns.labelledDataset(spark, dir, 60);
        Path runs = dir.resolve("runs");
        SmallRuns.train(spark, data, runs, "label", 1, 2, MVAE);
        SmallRuns.train(spark, data, runs, "halves", 1, 1, List.of(SmallRuns.with(MVAE, "model.multimodal.modalities=halves")));
        Path results = dir.resolve("results");
        Settings s = Settings.defaults("evaluate.runs=" + runs, "results.dir=" + results, "eval.k=20", "eval.chunk=10",
                "eval.max-examples=" + IMAGES, "evaluate.select=latest", "evaluate.diagnostics=[multimodal]");
        new EvaluationBatch(spark, s).run();

        Map<String, Map<String, MetricValue>> byRun = SmallRuns.metricsByRun(spark, results);
        Map<String, MetricValue> label = byRun.get("label");
        MetricValue joint = label.get("mvae_iwae_joint");
        MetricValue image = label.get("mvae_iwae_image");
        MetricValue y = label.get("mvae_iwae_label");
        MetricValue accuracy = label.get("mvae_label_accuracy");
        assertTrue(joint.present() && image.present() && y.present() && accuracy.present(), label.toString());
        assertEquals(IMAGES, joint.n());
        assertEquals(20, joint.k());
        assertTrue(joint.mean() < 0 && image.mean() < 0 && y.mean() < 0, label.toString());
        assertTrue(accuracy.mean() >= 0 && accuracy.mean() <= 1, accuracy.toString());
        assertFalse(label.get("mvae_bottom_mse").present());

        Path evaluation = evaluationDir(results.resolve("evaluations/label"));
        List<Row> rows = spark.read().parquet(evaluation.resolve("multimodal").toString()).orderBy("id").collectAsList();
        assertEquals(IMAGES, rows.size(), "one row per evaluated example");
        double correct = 0;
        double sum = 0;
        for (Row r : rows) {
            correct += r.getInt(r.fieldIndex("label")) == r.getInt(r.fieldIndex("predicted")) ? 1 : 0;
            sum += r.getDouble(r.fieldIndex("iwae_joint"));
        }
        assertEquals(accuracy.mean(), correct / IMAGES, 1e-12, "the summary is the mean of the per-example values");
        assertEquals(joint.mean(), sum / IMAGES, 1e-9);
        assertPng(evaluation.resolve("figures/mvae-label-to-image.png"));

        Map<String, MetricValue> halves = byRun.get("halves");
        assertTrue(halves.get("mvae_bottom_mse").present() && halves.get("mvae_iwae_top").present()
                && halves.get("mvae_iwae_bottom").present(), halves.toString());
        assertTrue(halves.get("mvae_bottom_mse").mean() > 0 && halves.get("mvae_bottom_mse").mean() < 1);
        assertFalse(halves.get("mvae_label_accuracy").present());
        assertPng(evaluationDir(results.resolve("evaluations/halves")).resolve("figures/mvae-bottom-from-top.png"));

        org.vaespark.jobs.LeaderboardJob.render(spark, Settings.defaults("results.dir=" + results));
        String board = Files.readString(results.resolve("leaderboard/leaderboard.md"));
        assertTrue(board.contains("| multimodal (MVAE) |"), board);
        String shown = String.format(java.util.Locale.ROOT, "image→label accuracy %.3f", accuracy.mean());
        assertTrue(board.lines().anyMatch(l -> l.contains("runs/label") && l.contains(shown)), shown + " in:\n" + board);
        assertTrue(board.lines().anyMatch(l -> l.contains("runs/halves") && l.contains("bottom-from-top MSE")), board);
        String csv;
        try (Stream<Path> files = Files.list(results.resolve("leaderboard"))) {
            csv = files.filter(p -> p.toString().endsWith(".csv")).map(MultimodalEvaluationTest::read)
                    .filter(t -> t.contains("runs/label")).findFirst().orElseThrow();
        }
        assertTrue(csv.lines().findFirst().orElseThrow().contains("mvae_label_accuracy"), csv);
        assertTrue(csv.contains(Double.toString(accuracy.mean())), "the CSV carries the accuracy at full precision:\n" + csv);
        assertTrue(Files.readString(results.resolve("leaderboard/index.html")).contains("mvae-label-to-image"),
                "the label -> image picture is on the leaderboard page");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path evaluationDir(Path run) throws Exception {
        try (Stream<Path> files = Files.walk(run)) {
            return files.filter(p -> p.getFileName().toString().equals("multimodal")).findFirst().orElseThrow().getParent();
        }
    }

    private static void assertPng(Path file) throws Exception {
        byte[] png = Files.readAllBytes(file);
        assertTrue(png.length > 500 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG at " + file);
    }
}
