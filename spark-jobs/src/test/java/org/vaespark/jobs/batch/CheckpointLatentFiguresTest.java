package org.vaespark.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.eval.posterior.LatentFigures;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;
import org.vaespark.jobs.leaderboard.TrainingCurves;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * The KL per latent dimension and the active units in metrics.jsonl at every checkpoint (and only
 * there): a local[2] Spark training run, whose checkpoint lines are recomputed from the checkpoint's
 * parameters on the same first training examples, for a VAE and for an HVAE (per layer); and the
 * leaderboard's training-curve panels drawn from them.
 */
class CheckpointLatentFiguresTest {
    private static final int EXAMPLES = 16;
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static SparkSession spark;
    static String data;

    @BeforeAll
    static void dataset() {
        spark = SparkTestSession.get();
        data = SmallRuns.dataset(spark, dir, 24);
    }

    private static List<JsonNode> lines(Path checkpoint) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(checkpoint.getParent().getParent().resolve("metrics.jsonl"))) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    /** LatentFigures of the checkpoint on the first EXAMPLES training rows (ids 0..EXAMPLES-1, static binarization). */
    private static Map<String, Object> recomputed(Path checkpoint) {
        Checkpoint c = CheckpointIO.read(checkpoint);
        Shard rows = MnistRows.binarized("train", EXAMPLES, 0);
        long[] ids = new long[EXAMPLES];
        float[] x = new float[EXAMPLES * 784];
        for (int i = 0; i < EXAMPLES; i++) {
            ids[i] = i;
            PixelEncoding.encode(rows.pixels(), i, 784, i, c.trainConfig().binarization(), c.trainConfig().seed(), 0, x, i);
        }
        return LatentFigures.measure(Vae.withParameters(c.modelConfig(), c.parameters()), c.trainConfig().seed(), ids, x,
                new int[EXAMPLES], 0.01, 16);
    }

    private static Path train(String name, List<String> overrides) {
        List<String> all = new ArrayList<>(overrides);
        all.add("train.checkpoint-every-rounds=2");
        all.add("train.latent-examples=" + EXAMPLES);
        return SmallRuns.train(spark, data, dir.resolve("runs"), name, 1, 3, all);
    }

    @Test
    void aVaeLogsKlPerDimensionAndActiveUnitsAtItsCheckpoints() throws Exception {
        Path last = train("vae", List.of());
        List<JsonNode> lines = lines(last);
        assertEquals(3, lines.size());
        assertFalse(lines.get(0).has("active_units"), "round 1 is not a checkpoint");
        assertTrue(lines.get(1).has("active_units") && lines.get(2).has("active_units"), "rounds 2 and 3 (the last) are");
        JsonNode end = lines.get(2);
        assertEquals(EXAMPLES, end.get("latent_examples").asInt());
        assertEquals(4, end.get("latent_kl_per_dim").size());
        Map<String, Object> direct = recomputed(last);
        assertEquals(((Number) direct.get("active_units")).intValue(), end.get("active_units").asInt());
        double[] kl = (double[]) direct.get("latent_kl_per_dim");
        double sum = 0;
        for (int j = 0; j < kl.length; j++) {
            assertEquals(kl[j], end.get("latent_kl_per_dim").get(j).asDouble(), 1e-9, "dimension " + j);
            sum += kl[j];
        }
        assertTrue(sum > 0);

        List<String> text = Files.readAllLines(last.getParent().getParent().resolve("metrics.jsonl"));
        TrainingCurves.Curves curves = TrainingCurves.series("metrics.jsonl", text, List.of());
        assertEquals(4, curves.series().stream().filter(s -> s.panel() == TrainingCurves.Panel.LATENT_KL).count());
        TrainingCurves.Series active = curves.series().stream().filter(s -> s.panel() == TrainingCurves.Panel.ACTIVE_UNITS)
                .findFirst().orElseThrow();
        assertEquals(2, active.x().length, "one point per checkpoint");
        assertTrue(TrainingCurves.png("vae", curves).length > 0);
    }

    @Test
    void anHvaeLogsEachLayer() throws Exception {
        Path last = train("hvae", List.of("model.kind=hvae", "model.hierarchy.top-latent-dim=3", "model.hierarchy.hidden=[16]"));
        JsonNode end = lines(last).get(2);
        assertEquals(3, end.get("latent_kl_per_dim_z2").size());
        assertEquals(4, end.get("latent_kl_per_dim_z1").size());
        assertEquals(end.get("active_units").asInt(), end.get("active_units_z1").asInt() + end.get("active_units_z2").asInt());
        Map<String, Object> direct = recomputed(last);
        double[] z1 = (double[]) direct.get("latent_kl_per_dim_z1");
        for (int j = 0; j < z1.length; j++) {
            assertEquals(z1[j], end.get("latent_kl_per_dim_z1").get(j).asDouble(), 1e-9, "z1 dimension " + j);
        }
        assertEquals(((Number) direct.get("active_units_z1")).intValue(), end.get("active_units_z1").asInt());
    }
}
