package org.vaespark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.jobs.train.TrainingRun;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.jobs.train.RoundListener;
import org.vaespark.jobs.train.RoundTimes;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.jobs.train.Shards;
import org.vaespark.jobs.train.SparkTrainer;
import org.vaespark.prep.testing.SparkTestSession;

/** The round-time split in metrics.jsonl, the accumulators and the listener, on real MNIST rows at local[2]. */
class RoundTimingSparkTest {
    private static final double TOLERANCE_S = 0.005;

    @TempDir
    Path dir;

    @Test
    void everyRoundReportsItsTimeSplitAndSparkSeesEveryTaskAndExample() throws Exception {
        int rounds = 4;
        Settings s = TestConfigs.small("train.partitions=2", "train.checkpoint-every-rounds=2");
        TrainConfig tc = TestConfigs.train(s);
        VaeConfig mc = TestConfigs.model(s, 784);
        SparkSession spark = SparkTestSession.get();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Shard> shards = Shards.of(AveragingSparkTest.frame(spark, MnistRows.binarized("train", 200, 0)), tc.partitions(), 784);
        RunDirectory run = new RunDirectory(dir.resolve("run").toString());
        run.create(s.toJson());
        SparkTrainer trainer = new SparkTrainer(new TrainingRun(mc, tc, s.toJson(), run, "test", "binarized-mnist"));
        trainer.train(sc, shards, SparkTrainer.Start.fresh(mc, tc.seed()), rounds);
        shards.unpersist();

        List<String> lines = Files.readAllLines(dir.resolve("run").resolve("metrics.jsonl"));
        assertEquals(rounds, lines.size());
        ObjectMapper json = new ObjectMapper();
        long examples = 0;
        for (int r = 0; r < rounds; r++) {
            JsonNode m = json.readTree(lines.get(r));
            for (String key : RoundTimes.KEYS) {
                assertTrue(m.has(key), "round " + (r + 1) + " lacks " + key);
                double v = m.get(key).asDouble();
                assertTrue(Double.isFinite(v) && v >= 0, key + " = " + v);
            }
            double round = m.get("time_round_s").asDouble();
            double phases = 0;
            for (String key : new String[]{"time_broadcast_s", "time_local_steps_s", "time_aggregate_s", "time_driver_update_s",
                "time_checkpoint_s", "time_metrics_s"}) {
                phases += m.get(key).asDouble();
            }
            assertTrue(phases <= round + TOLERANCE_S, "phases " + phases + " s exceed the round's " + round + " s");
            assertTrue(phases >= round - TOLERANCE_S, "phases " + phases + " s leave part of the round's " + round + " s unaccounted");
            assertTrue(m.get("time_local_steps_s").asDouble() > 0);
            assertTrue(m.get("time_local_steps_mean_s").asDouble() <= m.get("time_local_steps_s").asDouble());
            assertEquals(1 - m.get("time_local_steps_s").asDouble() / round, m.get("outside_local_share").asDouble(), 1e-9);
            assertEquals(r == 0, m.get("time_metrics_s").asDouble() == 0, "only the first round has no previous line to write");
            boolean previousCheckpointed = r > 0 && r % 2 == 0;
            assertTrue(!previousCheckpointed || m.get("time_checkpoint_s").asDouble() > 0,
                    "round " + r + "'s checkpoint time is reported on round " + (r + 1));
            examples += m.get("examples_seen").asLong() - examples;
        }
        assertEquals((long) rounds * tc.partitions() * tc.averagingFrequency() * tc.batchSize(), examples);
        assertEquals(examples, trainer.counters().examples().value(), "the accumulator counts every example once");
        assertEquals("vae.examples", trainer.counters().examples().name().get());
        long localMs = Math.round(trainer.roundTimes().stream().mapToDouble(t -> t.localStepsMean() * tc.partitions()).sum() * 1000);
        assertEquals(localMs, trainer.counters().localStepsMs().value(), rounds * tc.partitions(), "summed task local-step ms");
        for (long r = 1; r <= rounds; r++) {
            assertTrue(trainer.listener().await(r, 5000), "the listener saw round " + r);
            RoundListener.Totals t = trainer.listener().round(r);
            assertEquals(1, t.stages(), "round " + r + ": one stage for a two-partition treeAggregate");
            assertEquals(2, t.tasks(), "round " + r + ": one task per partition");
            assertTrue(t.resultBytes() > 0 && t.runMs() > 0, t.toString());
        }
    }
}
