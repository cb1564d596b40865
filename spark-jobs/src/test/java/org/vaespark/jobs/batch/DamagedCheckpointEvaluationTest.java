package org.vaespark.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.jobs.EvaluateJob;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * Evaluating a damaged checkpoint (one job, or a scheduled batch) ends in the one message that names
 * the damaged file and the fix, never an index error; a batch evaluates the other checkpoints.
 */
class DamagedCheckpointEvaluationTest {
    @TempDir
    Path dir;

    @Test
    void evaluationNamesTheDamagedFile() throws Exception {
        SparkSession spark = SparkTestSession.get();
        String data = SmallRuns.dataset(spark, dir, 100);
        Path runs = dir.resolve("runs");
        Path last = SmallRuns.train(spark, data, runs, "a", 1, 2);
        Path array;
        try (Stream<Path> s = Files.list(last.resolve("params"))) {
            array = s.sorted().findFirst().orElseThrow();
        }
        Files.write(array, Arrays.copyOf(Files.readAllBytes(array), 100));
        Path results = dir.resolve("results");
        Files.writeString(runs.resolve("a/checkpoints/round-000001").resolve(CheckpointIO.METADATA), "{\"formatVersion\": 1,");

        VaeException e = org.junit.jupiter.api.Assertions.assertThrows(VaeException.class, () -> EvaluateJob.evaluate(spark,
                Settings.defaults("evaluate.checkpoint=" + last, "results.dir=" + results, "eval.k=2", "eval.max-examples=8")));
        assertTrue(e.getMessage().startsWith("damaged checkpoint: the .npy header says it is 118 bytes long, but the file has only 90 bytes")
                && e.getMessage().contains(last.getFileName() + "/params/" + array.getFileName()), e.getMessage());
        Path one = runs.resolve("a/checkpoints/round-000001");
        VaeException meta = org.junit.jupiter.api.Assertions.assertThrows(VaeException.class, () -> EvaluateJob.evaluate(spark,
                Settings.defaults("evaluate.checkpoint=" + one, "results.dir=" + results, "eval.k=2", "eval.max-examples=8")));
        assertTrue(meta.getMessage().startsWith("damaged checkpoint: it is not valid JSON (line 1, column ")
                && meta.getMessage().contains("round-000001/metadata.json]"), meta.getMessage());

        VaeException batch = org.junit.jupiter.api.Assertions.assertThrows(VaeException.class, () -> new EvaluationBatch(spark,
                Settings.defaults("evaluate.runs=" + runs, "results.dir=" + results, "eval.k=2", "eval.max-examples=8")).run());
        assertEquals(e.getMessage(), batch.getMessage(), "round 1's damaged metadata is passed over; round 2's array is the one error");
    }
}
