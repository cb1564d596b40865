package org.vaespark.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.jobs.train.TrainingRun;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.train.AveragingLoop;
import org.vaespark.jobs.train.ExchangeConfig;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.jobs.train.Shards;
import org.vaespark.jobs.train.SparkTrainer;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * Rounds whose averaged update is not finite or above train.max-update-norm are skipped and counted
 * (VDVAE's rule); too many in a row stop the run with the good checkpoints left as they were. The
 * same with the driver averaging and with the tasks averaging among themselves.
 */
class SkippedRoundsTest {
    private static final Shard DATA = MnistRows.binarized("train", 240, 0);
    private static final Settings BASE = TestConfigs.small("train.checkpoint-every-rounds=1");
    private static final VaeConfig MODEL = TestConfigs.model(BASE, 784);

    @TempDir
    Path dir;
    private JavaSparkContext sc;
    private JavaRDD<Shard> shards;
    private ExchangeConfig.Kind exchange = ExchangeConfig.Kind.DRIVER;

    @BeforeEach
    void data() {
        SparkSession spark = SparkTestSession.get();
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        shards = Shards.of(AveragingSparkTest.frame(spark, DATA), 2, 784);
    }

    @AfterEach
    void release() {
        shards.unpersist();
    }

    @ParameterizedTest
    @EnumSource(ExchangeConfig.Kind.class)
    void skippedRoundsKeepTheStateCountAcrossAResumeAndStopWithTheGoodCheckpointsIntact(ExchangeConfig.Kind exchange) throws IOException {
        this.exchange = exchange;
        RunDirectory run = create("bounded");
        Path two = train(BASE, run, SparkTrainer.Start.fresh(MODEL, 1), 2);
        Checkpoint good = CheckpointIO.read(two);

        // every update exceeds 1e-9: rounds 3 and 4 are skipped, the run ends normally at round 4
        Settings tiny = BASE.with("train.max-update-norm=1e-9", "train.max-consecutive-skips=3");
        Checkpoint four = CheckpointIO.read(train(tiny, run, SparkTrainer.Start.from(good), 4));
        assertTrue(four.parameters().identicalTo(good.parameters()), "a skipped round keeps the parameters");
        assertTrue(four.adam().m().identicalTo(good.adam().m()) && four.adam().v().identicalTo(good.adam().v()), "and the moments");
        assertEquals(good.adam().step() + 2 * 3, four.adam().step(), "the step moves on: the next round takes the next batches");
        assertEquals(2, four.metadata().resume().skippedRounds());
        assertEquals(2, four.metadata().resume().consecutiveSkips());

        // resumed with the counts of round 4, the third skip in a row (round 5) stops the run
        Map<String, byte[]> before = files(run.checkpoints());
        VaeException e = assertThrows(VaeException.class, () -> train(tiny, run, SparkTrainer.Start.from(four), 10));
        String msg = e.getMessage();
        assertTrue(msg.contains("round 5") && msg.contains("3 averaging rounds in a row") && msg.contains("train.max-update-norm=1.0E-9")
                && msg.contains(run.checkpoints().resolve("round-000004").toString()) && msg.contains("lower train.learning-rate")
                && msg.contains("raise train.max-update-norm"), msg);
        Map<String, byte[]> after = files(run.checkpoints());
        assertEquals(before.keySet(), after.keySet(), "no checkpoint written or removed");
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " unchanged"));
        assertEquals(List.of("round-000001", "round-000002", "round-000004"),
                CheckpointIO.list(run.checkpoints()).stream().map(p -> p.getFileName().toString()).toList());

        List<JsonNode> m = metrics(run);
        assertEquals(5, m.size());
        for (int i = 0; i < 5; i++) {
            boolean skipped = i >= 2;
            assertEquals(i + 1, m.get(i).get("round").asLong());
            assertEquals(skipped, m.get(i).get("skipped").asBoolean(), m.get(i).toString());
            assertEquals(Math.max(0, i - 1), m.get(i).get("skipped_rounds_total").asLong(), m.get(i).toString());
            double norm = m.get(i).get("update_norm").asDouble();
            assertTrue(norm > 1e-9 && Double.isFinite(norm), m.get(i).toString());
        }
    }

    @ParameterizedTest
    @EnumSource(ExchangeConfig.Kind.class)
    void nonFiniteUpdatesAreSkippedAndCountedAndALowerRateThenContinues(ExchangeConfig.Kind exchange) throws IOException {
        this.exchange = exchange;
        RunDirectory run = create("nan");
        Checkpoint good = CheckpointIO.read(train(BASE, run, SparkTrainer.Start.fresh(MODEL, 1), 2));
        Map<String, byte[]> before = files(run.checkpoints());
        Settings wild = BASE.with("train.learning-rate=1e30", "train.max-consecutive-skips=3");
        VaeException e = assertThrows(VaeException.class, () -> train(wild, run, SparkTrainer.Start.from(good), 10));
        assertTrue(e.getMessage().contains("not finite") && e.getMessage().contains("round 5")
                && e.getMessage().contains("round-000002"), e.getMessage());
        assertEquals(before.keySet(), files(run.checkpoints()).keySet());
        List<JsonNode> m = metrics(run);
        assertEquals(5, m.size(), "three non-finite rounds recorded, the first did not end the run");
        for (int i = 2; i < 5; i++) {
            assertTrue(m.get(i).get("skipped").asBoolean());
            assertFalse(m.get(i).has("update_norm"), "a non-finite norm is left out: " + m.get(i));
            assertTrue(m.get(i).get("skip_reason").asText().contains("not finite"), m.get(i).toString());
            assertEquals(i - 1, m.get(i).get("skipped_rounds_total").asLong());
        }

        // the fix the message names: the usual rate, from the last good checkpoint
        run.truncateMetrics(2);
        Checkpoint fixed = CheckpointIO.read(train(BASE, run, SparkTrainer.Start.from(good), 4));
        assertTrue(fixed.parameters().allFinite() && !fixed.parameters().identicalTo(good.parameters()));
        assertEquals(4, metrics(run).size());
        assertEquals(0, fixed.metadata().resume().skippedRounds());
    }

    @Test
    void aBoundNeverReachedGivesTheSameBitsAsNoBound() throws IOException {
        Checkpoint free = CheckpointIO.read(train(BASE, create("free"), SparkTrainer.Start.fresh(MODEL, 1), 3));
        RunDirectory boundedRun = create("loose");
        Checkpoint bounded = CheckpointIO.read(train(BASE.with("train.max-update-norm=1e6"), boundedRun, SparkTrainer.Start.fresh(MODEL, 1), 3));
        assertTrue(free.parameters().identicalTo(bounded.parameters()));
        assertTrue(free.adam().m().identicalTo(bounded.adam().m()) && free.adam().v().identicalTo(bounded.adam().v()));
        for (JsonNode line : metrics(boundedRun)) {
            assertFalse(line.get("skipped").asBoolean());
            assertTrue(line.get("update_norm").asDouble() > 0 && line.get("update_norm").asDouble() < 1e6, line.toString());
        }
    }

    private RunDirectory create(String name) {
        RunDirectory run = new RunDirectory(dir.resolve(name).toString());
        run.create(BASE.toJson());
        return run;
    }

    private Path train(Settings s, RunDirectory run, SparkTrainer.Start start, long rounds) {
        TrainConfig tc = TestConfigs.train(s);
        return AveragingLoop.of(new TrainingRun(MODEL, tc, s.toJson(), run, "test", "binarized-mnist"), new ExchangeConfig(exchange, 60))
                .train(sc, shards, start, rounds);
    }

    private static List<JsonNode> metrics(RunDirectory run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.root().resolve("metrics.jsonl"))) {
            out.add(new ObjectMapper().readTree(line));
        }
        return out;
    }

    /** Every file under {@code root} (hidden ones included) and its bytes. */
    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
