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
 * The {@code amortization} diagnostic (Cremer, Li &amp; Duvenaud 2018) through the evaluate job on real binarized
 * MNIST test images in {@code local[2]}: a briefly trained Gaussian-posterior model gets both gaps with their
 * per-example Parquet and the refinement plot; a planar-flow model gets both gaps absent with the reason.
 */
class AmortizationEvaluationTest {
    private static final int IMAGES = 6;

    @TempDir
    static Path dir;

    @Test
    void bothGapsPerExampleThePlotAndARefusal() throws Exception {
        SparkSession spark = SparkTestSession.get();
        String data = SmallRuns.dataset(spark, dir, 60);
        Path runs = SmallRuns.gaussianAndPlanarRuns(spark, data, dir);
        Path results = dir.resolve("results");
        Settings s = Settings.defaults("evaluate.runs=" + runs, "results.dir=" + results, "eval.k=50", "eval.chunk=25",
                "eval.max-examples=" + IMAGES, "evaluate.select=latest", "evaluate.diagnostics=[amortization]",
                "eval.amortization.steps=40", "eval.amortization.learning-rate=0.05", "eval.amortization.samples=4");
        new EvaluationBatch(spark, s).run();

        Map<String, Map<String, MetricValue>> byRun = SmallRuns.metricsByRun(spark, results);
        Map<String, MetricValue> gauss = byRun.get("gauss");
        MetricValue amortization = gauss.get("amortization_gap");
        MetricValue approximation = gauss.get("approximation_gap");
        assertTrue(amortization.present() && approximation.present(), gauss.toString());
        assertEquals(IMAGES, amortization.n());
        assertEquals(50, amortization.k());
        assertTrue(amortization.mean() > 0, "40 Adam steps on each example's own ELBO beat a briefly trained encoder: "
                + amortization);
        assertEquals(gauss.get("amortization_elbo_refined").mean() - gauss.get("amortization_elbo_encoder").mean(),
                amortization.mean(), 1e-9);
        assertEquals(gauss.get("amortization_log_p_hat").mean() - gauss.get("amortization_elbo_refined").mean(),
                approximation.mean(), 1e-9);

        Path evaluation;
        try (Stream<Path> files = Files.walk(results.resolve("evaluations/gauss"))) {
            evaluation = files.filter(p -> p.getFileName().toString().equals("amortization")).findFirst().orElseThrow().getParent();
        }
        List<Row> rows = spark.read().parquet(evaluation.resolve("amortization").toString()).orderBy("id").collectAsList();
        assertEquals(IMAGES, rows.size(), "one row per evaluated example");
        double sum = 0;
        for (Row r : rows) {
            double gap = r.getDouble(r.fieldIndex("amortization_gap"));
            assertEquals(r.getDouble(r.fieldIndex("elbo_refined")) - r.getDouble(r.fieldIndex("elbo_encoder")), gap, 1e-9);
            assertEquals(Math.max(r.getDouble(r.fieldIndex("iwae_encoder")), r.getDouble(r.fieldIndex("iwae_refined"))),
                    r.getDouble(r.fieldIndex("log_p_hat")), 0.0);
            sum += gap;
        }
        assertEquals(amortization.mean(), sum / IMAGES, 1e-9, "the summary is the mean of the per-example values");
        byte[] png = Files.readAllBytes(evaluation.resolve("amortization.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG of the refinement curve");

        org.vaespark.jobs.LeaderboardJob.render(spark, Settings.defaults("results.dir=" + results));
        String board = Files.readString(results.resolve("leaderboard/leaderboard.md"));
        assertTrue(board.contains("| amortization gap |"), board);
        String shown = String.format(java.util.Locale.ROOT, "%.2f ± %.2f", amortization.mean(), amortization.stderr());
        assertTrue(board.lines().anyMatch(l -> l.contains("gauss") && l.contains("| " + shown + " |")),
                "the gauss rows carry their gap " + shown + ":\n" + board);
        assertTrue(board.lines().anyMatch(l -> l.contains("flow") && l.contains("planar flow posterior is not a diagonal Gaussian")),
                "the flow rows say why they have no gap:\n" + board);
        assertTrue(Files.readString(results.resolve("leaderboard/index.html")).contains("amortization gap ± s.e. (nats)"));

        Map<String, MetricValue> flow = byRun.get("flow");
        assertFalse(flow.get("amortization_gap").present());
        assertTrue(flow.get("amortization_gap").note().contains("planar flow posterior is not a diagonal Gaussian"),
                flow.get("amortization_gap").note());
        assertFalse(flow.containsKey("amortization_elbo_refined"), "no partial figures for a refused model");
    }
}
