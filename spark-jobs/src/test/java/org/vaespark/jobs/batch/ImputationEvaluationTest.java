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
import org.vaespark.core.eval.ImputationMask;
import org.vaespark.core.model.ImageShape;
import org.vaespark.jobs.eval.MetricValue;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * The {@code imputation} diagnostic through the evaluate job on real binarized MNIST test images in {@code local[2]}:
 * pseudo-Gibbs (Rezende et al. 2014) and non-amortized imputation (Agarwal et al. 2023) land in the same metrics
 * table, computed on the same examples and the same random masks, with one row per example holding both; a
 * planar-flow model keeps pseudo-Gibbs and gets the non-amortized figures absent with the reason.
 */
class ImputationEvaluationTest {
    private static final int IMAGES = 6;
    private static final double FRACTION = 0.3;
    private static final long SEED = 77;

    @TempDir
    static Path dir;

    @Test
    void bothMethodsOnTheSameMasksInOneTable() throws Exception {
        SparkSession spark = SparkTestSession.get();
        String data = SmallRuns.dataset(spark, dir, 60);
        Path runs = SmallRuns.gaussianAndPlanarRuns(spark, data, dir);
        Path results = dir.resolve("results");
        Settings s = Settings.defaults("evaluate.runs=" + runs, "results.dir=" + results, "eval.k=10", "eval.chunk=10",
                "eval.max-examples=" + IMAGES, "evaluate.select=latest", "evaluate.diagnostics=[imputation]",
                "eval.imputation.mask=random", "eval.imputation.fraction=" + FRACTION, "eval.imputation.seed=" + SEED,
                "eval.imputation.iterations=3", "eval.imputation.non-amortized.steps=30",
                "eval.imputation.non-amortized.learning-rate=0.05", "eval.imputation.non-amortized.gradient-samples=2",
                "eval.imputation.non-amortized.samples=40");
        new EvaluationBatch(spark, s).run();

        Map<String, Map<String, MetricValue>> byRun = SmallRuns.metricsByRun(spark, results);
        Map<String, MetricValue> gauss = byRun.get("gauss");
        for (String m : List.of("imputation_mse", "imputation_mse_non_amortized", "imputation_masked_loglik_gibbs",
                "imputation_masked_loglik_non_amortized", "imputation_error_rate_non_amortized")) {
            assertTrue(gauss.get(m) != null && gauss.get(m).present(), m + ": " + gauss.get(m));
            assertEquals(IMAGES, gauss.get(m).n(), m + " counts every evaluated example");
        }
        assertEquals(40, gauss.get("imputation_masked_loglik_gibbs").k());
        assertTrue(gauss.get("imputation_observed_elbo_end").mean() > gauss.get("imputation_observed_elbo_start").mean(),
                "30 Adam steps raise the observed pixels' ELBO: " + gauss);

        Path evaluation;
        try (Stream<Path> files = Files.walk(results.resolve("evaluations/gauss"))) {
            evaluation = files.filter(p -> p.getFileName().toString().equals("imputation")).findFirst().orElseThrow().getParent();
        }
        List<Row> rows = spark.read().parquet(evaluation.resolve("imputation").toString()).orderBy("id").collectAsList();
        assertEquals(IMAGES, rows.size(), "one row per evaluated example");
        double gibbsMse = 0;
        double mse = 0;
        double gibbsLogLik = 0;
        double logLik = 0;
        for (Row r : rows) {
            long id = r.getLong(r.fieldIndex("id"));
            boolean[] missing = ImputationMask.RANDOM.missing(new ImageShape(28, 28, 1), id, FRACTION, SEED);
            int hidden = 0;
            for (boolean m : missing) {
                hidden += m ? 1 : 0;
            }
            assertEquals(hidden, r.getInt(r.fieldIndex("masked")), "example " + id + ": both methods on the seeded mask");
            for (String c : List.of("masked_loglik_gibbs", "masked_loglik_non_amortized")) {
                double v = r.getDouble(r.fieldIndex(c));
                assertTrue(Double.isFinite(v) && v < 0, c + " of example " + id + " is a log-probability of binary pixels: " + v);
            }
            gibbsMse += r.getDouble(r.fieldIndex("mse_gibbs")) / IMAGES;
            mse += r.getDouble(r.fieldIndex("mse_non_amortized")) / IMAGES;
            gibbsLogLik += r.getDouble(r.fieldIndex("masked_loglik_gibbs")) / IMAGES;
            logLik += r.getDouble(r.fieldIndex("masked_loglik_non_amortized")) / IMAGES;
        }
        assertEquals(gauss.get("imputation_mse").mean(), gibbsMse, 1e-9, "pseudo-Gibbs's summary is over the same rows");
        assertEquals(gauss.get("imputation_mse_non_amortized").mean(), mse, 1e-9);
        assertEquals(gauss.get("imputation_masked_loglik_gibbs").mean(), gibbsLogLik, 1e-9);
        assertEquals(gauss.get("imputation_masked_loglik_non_amortized").mean(), logLik, 1e-9);

        Map<String, MetricValue> flow = byRun.get("flow");
        assertTrue(flow.get("imputation_mse").present(), "pseudo-Gibbs runs for a flow posterior");
        assertFalse(flow.get("imputation_masked_loglik_non_amortized").present());
        assertTrue(flow.get("imputation_masked_loglik_non_amortized").note().contains("planar flow posterior is not a diagonal Gaussian"),
                flow.get("imputation_masked_loglik_non_amortized").note());
    }
}
