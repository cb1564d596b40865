package org.vaespark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.Shard;
import org.vaespark.jobs.train.AveragingLoop;
import org.vaespark.jobs.train.CollectiveTrainer;
import org.vaespark.jobs.train.ExchangeConfig;
import org.vaespark.jobs.train.RoundTimes;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.jobs.train.Shards;
import org.vaespark.jobs.train.SparkTrainer;
import org.vaespark.jobs.train.TrainingRun;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * The tasks averaging among themselves in a barrier stage (train.exchange = collective) give the
 * driver's treeAggregate averaging's bits, round by round and across the checkpoints rank 0 reports
 * while the stage runs, on real MNIST rows at local[2].
 */
class CollectiveExchangeTest {
    private static final Shard DATA = MnistRows.binarized("train", 240, 0);
    private static final Settings BASE = TestConfigs.small("train.checkpoint-every-rounds=2");
    private static final VaeConfig MODEL = TestConfigs.model(BASE, 784);
    private static final String[] SAME = {"round", "adam_step", "examples_seen", "epoch", "train_elbo", "train_reconstruction", "train_kl",
        "replicas", "update_norm", "skipped", "skipped_rounds_total"};

    @TempDir
    Path dir;

    @Test
    void collectiveRoundsEqualDriverRoundsBitForBitAcrossCheckpoints() throws IOException {
        SparkSession spark = SparkTestSession.get();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Shard> shards = Shards.of(AveragingSparkTest.frame(spark, DATA), 2, 784);
        try {
            RunDirectory driver = train(sc, shards, ExchangeConfig.Kind.DRIVER);
            RunDirectory collective = train(sc, shards, ExchangeConfig.Kind.COLLECTIVE);
            List<Path> a = CheckpointIO.list(driver.checkpoints());
            List<Path> b = CheckpointIO.list(collective.checkpoints());
            assertEquals(List.of("round-000002", "round-000004", "round-000005"), b.stream().map(p -> p.getFileName().toString()).toList());
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                Checkpoint x = CheckpointIO.read(a.get(i));
                Checkpoint y = CheckpointIO.read(b.get(i));
                assertTrue(x.parameters().identicalTo(y.parameters()), b.get(i) + ": parameters");
                assertTrue(x.adam().m().identicalTo(y.adam().m()) && x.adam().v().identicalTo(y.adam().v()), b.get(i) + ": Adam moments");
                assertEquals(x.adam().step(), y.adam().step());
                assertEquals(x.metadata().resume(), y.metadata().resume(), b.get(i) + ": resume block");
            }
            List<JsonNode> m = metrics(driver);
            List<JsonNode> n = metrics(collective);
            assertEquals(5, n.size());
            for (int r = 0; r < 5; r++) {
                for (String key : SAME) {
                    assertEquals(m.get(r).get(key), n.get(r).get(key), "round " + (r + 1) + " " + key);
                }
                double round = n.get(r).get("time_round_s").asDouble();
                double phases = 0;
                for (String key : new String[]{"time_broadcast_s", "time_local_steps_s", "time_aggregate_s", "time_driver_update_s",
                    "time_checkpoint_s", "time_metrics_s"}) {
                    phases += n.get(r).get(key).asDouble();
                }
                assertEquals(round, phases, 1e-6, "round " + (r + 1) + ": the phases add up to the round");
                // one stage runs all 5 rounds; rank 0 reports after rounds 2 and 4 and trains on
                assertEquals(r == 0, n.get(r).get("time_broadcast_s").asDouble() > 0,
                        "round " + (r + 1) + ": only the stage's first round carries its start-up");
            }
            assertTrue(n.get(4).get("wall_seconds").asDouble() > n.get(0).get("wall_seconds").asDouble());
        } finally {
            shards.unpersist();
        }
    }

    @Test
    void moreCollectivePartitionsThanLocalSlotsIsRefusedNamingTheKeys() {
        SparkSession spark = SparkTestSession.get();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Settings three = BASE.with("train.partitions=3");
        RunDirectory run = new RunDirectory(dir.resolve("three").toString());
        CollectiveTrainer trainer = new CollectiveTrainer(new TrainingRun(MODEL, TestConfigs.train(three), three.toJson(), run, "test", "binarized-mnist"),
                ExchangeConfig.from(three.config()));
        VaeException e = assertThrows(VaeException.class, () -> trainer.train(sc, null, SparkTrainer.Start.fresh(MODEL, 1), 1));
        assertTrue(e.getMessage().contains("train.partitions") && e.getMessage().contains("at most 2")
                && e.getMessage().contains("train.exchange=driver"), e.getMessage());
    }

    private RunDirectory train(JavaSparkContext sc, JavaRDD<Shard> shards, ExchangeConfig.Kind kind) {
        Settings s = BASE.with("train.exchange=" + kind.name().toLowerCase());
        RunDirectory run = new RunDirectory(dir.resolve(kind.name()).toString());
        run.create(s.toJson());
        AveragingLoop loop = AveragingLoop.of(new TrainingRun(MODEL, TestConfigs.train(s), s.toJson(), run, "test", "binarized-mnist"),
                ExchangeConfig.from(s.config()));
        loop.train(sc, shards, SparkTrainer.Start.fresh(MODEL, 1), 5);
        assertEquals(5, loop.roundTimes().size());
        for (RoundTimes t : loop.roundTimes()) {
            // the slowest task's local steps fit in the round rank 0 timed, up to the skew of the tasks leaving an exchange
            assertTrue(t.localSteps() > 0 && t.round() >= t.localSteps() - 0.005, t.toString());
        }
        return run;
    }

    private static List<JsonNode> metrics(RunDirectory run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.root().resolve("metrics.jsonl"))) {
            out.add(new ObjectMapper().readTree(line));
        }
        return out;
    }
}
