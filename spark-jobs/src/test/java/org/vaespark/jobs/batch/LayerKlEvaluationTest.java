package org.vaespark.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.jobs.EvaluateJob;
import org.vaespark.jobs.eval.MetricSchema;
import org.vaespark.jobs.eval.MetricValue;
import org.vaespark.jobs.eval.PerExampleSchema;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * The per-layer KL of a two-layer HVAE (Tomczak &amp; Welling 2018) reaches the evaluation's
 * metrics table and per-example Parquet: kl_z1 and kl_z2 are there for an HVAE checkpoint, sum
 * to kl, and are absent (metrics) or null (per-example) for a one-layer VAE.
 */
class LayerKlEvaluationTest {
    private static final int EXAMPLES = 12;
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path hvae;
    static Path vae;

    @BeforeAll
    static void runs() {
        spark = SparkTestSession.get();
        String data = SmallRuns.dataset(spark, dir, 24);
        Path runs = dir.resolve("runs");
        hvae = SmallRuns.train(spark, data, runs, "hvae", 1, 1, List.of("model.kind=hvae", "model.hierarchy.top-latent-dim=3",
                "model.hierarchy.hidden=[16]"));
        vae = SmallRuns.train(spark, data, runs, "vae", 1, 1);
    }

    private static Path evaluate(Path checkpoint, String name) {
        Path results = dir.resolve(name);
        EvaluateJob.evaluate(spark, Settings.defaults("evaluate.checkpoint=" + checkpoint, "results.dir=" + results,
                "eval.k=6", "eval.chunk=4", "eval.max-examples=" + EXAMPLES));
        return results;
    }

    private static Map<String, MetricValue> metrics(Path results) {
        return new ResultsTable(spark, results.toString()).readMetrics().stream().map(MetricSchema.Entry::value)
                .collect(Collectors.toMap(MetricValue::metric, v -> v));
    }

    private static List<Row> perExample(Path results) throws Exception {
        try (Stream<Path> dirs = Files.walk(results)) {
            Path p = dirs.filter(f -> f.getFileName().toString().equals(ResultsTable.PER_EXAMPLE)).findFirst().orElseThrow();
            return spark.read().parquet(p.toString()).collectAsList();
        }
    }

    @Test
    void anHvaeEvaluationReportsTheKlOfEachLayer() throws Exception {
        Path results = evaluate(hvae, "results-hvae");
        Map<String, MetricValue> m = metrics(results);
        MetricValue z1 = m.get("kl_z1");
        MetricValue z2 = m.get("kl_z2");
        assertTrue(z1 != null && z2 != null, m.keySet().toString());
        assertTrue(z1.present() && z2.present() && z1.stderr() != null && z2.stderr() != null, z1 + " / " + z2);
        assertEquals(EXAMPLES, z1.n());
        assertEquals(6, z2.k());
        double kl = m.get("kl").mean();
        assertEquals(kl, z1.mean() + z2.mean(), 1e-4 * (1 + Math.abs(kl)), "the layers' KLs sum to the KL");
        List<Row> rows = perExample(results);
        assertEquals(EXAMPLES, rows.size());
        double sum = 0;
        for (Row r : rows) {
            double l1 = r.getDouble(r.fieldIndex(PerExampleSchema.KL_Z1));
            double l2 = r.getDouble(r.fieldIndex(PerExampleSchema.KL_Z2));
            double all = r.getDouble(r.fieldIndex(PerExampleSchema.KL));
            assertEquals(all, l1 + l2, 1e-4 * (1 + Math.abs(all)), "per example: kl_z1 + kl_z2 = kl");
            sum += l1;
        }
        assertEquals(z1.mean(), sum / EXAMPLES, 1e-9, "the metric is the mean of the per-example column");
    }

    @Test
    void aOneLayerVaeEvaluationHasNoPerLayerKl() throws Exception {
        Path results = evaluate(vae, "results-vae");
        Map<String, MetricValue> m = metrics(results);
        assertTrue(m.containsKey("kl") && m.containsKey("reconstruction"), m.keySet().toString());
        assertFalse(m.containsKey("kl_z1") || m.containsKey("kl_z2"), m.keySet().toString());
        for (Row r : perExample(results)) {
            assertTrue(r.isNullAt(r.fieldIndex(PerExampleSchema.KL_Z1)) && r.isNullAt(r.fieldIndex(PerExampleSchema.KL_Z2)));
        }
    }

    @Test
    void anHvaePosteriorDiagnosticReportsEachLayer() throws Exception {
        Path results = dir.resolve("results-hvae-posterior");
        EvaluateJob.evaluate(spark, Settings.defaults("evaluate.checkpoint=" + hvae, "results.dir=" + results, "eval.k=6",
                "eval.chunk=4", "eval.max-examples=" + EXAMPLES, "evaluate.diagnostics=[posterior]", "eval.posterior.gmm-examples=0"));
        Map<String, MetricValue> m = metrics(results);
        for (String name : List.of("avg_kl_z1", "avg_kl_z2", "active_units_z1", "active_units_z2", "mutual_information_z1",
                "mutual_information_z2", "layer_kl_gap")) {
            assertTrue(m.containsKey(name) && m.get(name).present(), name + " in " + m.keySet());
        }
        assertFalse(m.get("mutual_information").present());
        try (Stream<Path> dirs = Files.walk(results)) {
            Path latent = dirs.filter(p -> p.getFileName().toString().equals("latent")).findFirst().orElseThrow();
            List<Row> rows = spark.read().parquet(latent.toString()).collectAsList();
            assertEquals(3 + 4, rows.size(), "one row per dimension of z2 (3) and z1 (4)");
            assertEquals(3, rows.stream().filter(r -> "z2".equals(r.getString(r.fieldIndex("layer")))).count());
            assertEquals(4, rows.stream().filter(r -> "z1".equals(r.getString(r.fieldIndex("layer")))).count());
        }
    }
}
