package org.vaespark.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.HierarchyInference;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.jobs.EvaluateJob;
import org.vaespark.jobs.TrainJob;
import org.vaespark.jobs.eval.MetricSchema;
import org.vaespark.jobs.eval.MetricValue;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * A two-layer HVAE checkpoint written before the K-layer hierarchy existed still resumes and evaluates: issue 9's
 * long HVAE runs must not break halfway. The checkpoint is made as the old code made it: a run trained with the old
 * keys, whose stored settings are then put back in the old format (a {@code model.hierarchy} block of
 * {@code top-latent-dim} and {@code hidden} only, as in the checkpoints of the HVAE reproduction runs); the arrays
 * are those of the old layout (LegacyEquivalenceTest shows the layout is unchanged). {@code --resume} continues it
 * with the old keys and the evaluation reports the KL of both layers.
 */
class OldHvaeCheckpointTest {
    @TempDir
    Path dir;

    private Settings settings(String data, Path run, int epochs, boolean resume) {
        List<String> o = new ArrayList<>(SmallRuns.MODEL);
        o.addAll(List.of("model.kind=hvae", "model.hierarchy.top-latent-dim=3", "model.hierarchy.hidden=[16]",
                "data.path=" + data, "run.dir=" + run, "train.epochs=" + epochs, "run.resume=" + resume));
        return Settings.defaults(o.toArray(new String[0]));
    }

    @Test
    void aCheckpointInTheOldFormatResumesAndEvaluates() throws Exception {
        SparkSession spark = SparkTestSession.get();
        String data = SmallRuns.dataset(spark, dir, 24);
        Path run = dir.resolve("run");
        Path first = TrainJob.train(spark, settings(data, run, 1, false));
        for (Path c : CheckpointIO.list(run.resolve("checkpoints"))) {
            toOldFormat(c.resolve(CheckpointIO.METADATA));
        }
        String stored = new ObjectMapper().readTree(Files.readString(first.resolve(CheckpointIO.METADATA))).get("settings").asText();
        assertFalse(stored.contains("latent-dims") || stored.contains("inference") || stored.contains("markovian"), stored);
        Checkpoint old = CheckpointIO.read(first);
        VaeConfig c = old.modelConfig();
        assertEquals(List.of(4, 3), c.structure().hierarchy().latentDims());
        assertEquals(HierarchyInference.TOP_DOWN, c.structure().hierarchy().inference());
        assertFalse(c.structure().hierarchy().markovian());

        Path last = TrainJob.train(spark, settings(data, run, 8, true));
        Checkpoint resumed = CheckpointIO.read(last);
        assertTrue(resumed.metadata().round() > old.metadata().round(),
                "resumed to round " + resumed.metadata().round() + " from " + old.metadata().round());
        assertTrue(resumed.metadata().adamStep() > old.metadata().adamStep());
        assertEquals(c, resumed.modelConfig());

        for (Path checkpoint : List.of(first, last)) {
            Path results = dir.resolve("results-" + checkpoint.getFileName());
            EvaluateJob.evaluate(spark, Settings.defaults("evaluate.checkpoint=" + checkpoint, "results.dir=" + results,
                    "eval.k=6", "eval.chunk=4", "eval.max-examples=8"));
            Map<String, MetricValue> m = new ResultsTable(spark, results.toString()).readMetrics().stream()
                    .map(MetricSchema.Entry::value).collect(Collectors.toMap(MetricValue::metric, v -> v, (a, b) -> b));
            for (String metric : List.of("kl", "kl_z1", "kl_z2")) {
                assertTrue(m.containsKey(metric) && m.get(metric).present() && Double.isFinite(m.get(metric).mean()),
                        checkpoint.getFileName() + ": " + metric + " in " + m.keySet());
            }
            assertEquals(m.get("kl").mean(), m.get("kl_z1").mean() + m.get("kl_z2").mean(),
                    1e-3 * (1 + Math.abs(m.get("kl").mean())), checkpoint.getFileName() + ": per-layer KLs sum to the KL");
        }
    }

    /** The stored settings as the code before the K-layer hierarchy wrote them: no latent-dims, inference, markovian. */
    private static void toOldFormat(Path metadata) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(Files.readString(metadata, StandardCharsets.UTF_8));
        ObjectNode settings = (ObjectNode) json.readTree(root.get("settings").asText());
        ObjectNode hierarchy = (ObjectNode) settings.with("model").with("hierarchy");
        hierarchy.remove(List.of("latent-dims", "inference", "markovian"));
        hierarchy.put("top-latent-dim", 3);
        root.put("settings", json.writeValueAsString(settings));
        Files.writeString(metadata, json.writeValueAsString(root), StandardCharsets.UTF_8);
    }
}
