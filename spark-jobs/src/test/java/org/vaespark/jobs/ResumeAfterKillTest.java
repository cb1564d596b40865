package org.vaespark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.jobs.testing.ChildJvm;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.testing.SharedData;
import org.vaespark.prep.Prepare;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * The driver killed mid-run (SIGKILL of a real TrainJob JVM on real binarized MNIST): {@code --resume}
 * continues from the newest complete checkpoint and ends bit for bit where an uninterrupted run ends
 * (parameters, Adam moments and step), with exactly one metrics.jsonl line per round.
 */
class ResumeAfterKillTest {
    /** 4000 rows = 10 rounds of 2 partitions x 10 steps x 20 examples: one epoch. */
    private static final int TRAIN_ROWS = 4000;
    private static final int ROUNDS = 10;
    private static final Path ROOT = SharedData.projectRoot();

    @TempDir
    Path dir;

    @Test
    void killedDriverResumesToTheUninterruptedResult() throws Exception {
        SparkSession spark = SparkTestSession.get();
        String data = dir.resolve("data/binarized-mnist").toString();
        Path raw = ChildJvm.firstRows(dir.resolve("raw"), TRAIN_ROWS, 100);
        Prepare.run(spark, Settings.defaults("prepare.source=binarized-mnist", "prepare.input=" + raw,
                "prepare.output=" + data));
        List<String> overrides = List.of("data.path=" + data, "model.encoder.hidden=[64]", "model.decoder.hidden=[64]",
                "model.latent-dim=8", "train.epochs=1", "train.batch-size=20", "train.averaging-frequency=10",
                "train.partitions=2", "train.checkpoint-every-rounds=1");
        String conf = ROOT.resolve("conf/experiments/mnist-static-mlp.conf").toString();

        Path killed = dir.resolve("runs/killed");
        Path log = dir.resolve("child.log");
        List<String> args = new ArrayList<>(List.of("--conf", conf, "run.dir=" + killed, "spark.master=local[2]"));
        args.addAll(overrides);
        Process child = ChildJvm.start(ChildJvm.command("main.train", List.of(), args), null, log, java.util.Map.of());
        Path ckpts = killed.resolve("checkpoints");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.isDirectory(ckpts.resolve("round-000003"))) {
            if (!child.isAlive()) {
                fail("the child TrainJob ended before round 3 (exit " + child.exitValue() + "):\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                child.destroyForcibly();
                fail("no checkpoint round-000003 after 240 s:\n" + tail(log));
            }
            Thread.sleep(5);
        }
        child.destroyForcibly().waitFor();
        long atKill = CheckpointIO.latest(ckpts).map(p -> CheckpointIO.read(p).metadata().round()).orElseThrow();
        assertTrue(atKill >= 3 && atKill < ROUNDS, "killed mid-run, at round " + atKill + " of " + ROUNDS);
        List<String> linesAtKill = Files.readAllLines(killed.resolve("metrics.jsonl"));
        assertTrue(linesAtKill.size() >= atKill, linesAtKill.size() + " metrics lines");

        Settings base = Settings.load(List.of(conf), overrides);
        Path resumed = TrainJob.train(spark, base.with("run.dir=" + killed, "run.resume=true"));
        Path straight = TrainJob.train(spark, base.with("run.dir=" + dir.resolve("runs/straight")));
        assertEquals("round-0000" + ROUNDS, resumed.getFileName().toString());
        Checkpoint a = CheckpointIO.read(resumed);
        Checkpoint b = CheckpointIO.read(straight);
        assertTrue(a.parameters().identicalTo(b.parameters()), "parameters bit for bit");
        assertTrue(a.adam().m().identicalTo(b.adam().m()), "Adam first moments bit for bit");
        assertTrue(a.adam().v().identicalTo(b.adam().v()), "Adam second moments bit for bit");
        assertEquals(b.adam().step(), a.adam().step());
        assertEquals(ROUNDS * 10L, a.adam().step());
        assertEquals(b.metadata().examplesSeen(), a.metadata().examplesSeen());

        List<JsonNode> resumedMetrics = metrics(killed);
        List<JsonNode> straightMetrics = metrics(dir.resolve("runs/straight"));
        assertEquals(ROUNDS, resumedMetrics.size(), "one line per round, none repeated: " + resumedMetrics);
        for (int i = 0; i < ROUNDS; i++) {
            assertEquals(i + 1, resumedMetrics.get(i).get("round").asLong());
            assertEquals(straightMetrics.get(i).get("train_elbo").asDouble(), resumedMetrics.get(i).get("train_elbo").asDouble(), 0.0,
                    "round " + (i + 1) + " saw the same batches and noise");
            assertEquals(straightMetrics.get(i).get("update_norm").asDouble(), resumedMetrics.get(i).get("update_norm").asDouble(), 0.0);
        }
        try (Stream<Path> s = Files.list(ckpts)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertFalse(names.stream().anyMatch(n -> n.startsWith(".")), "a killed writer's temporary directories are removed: " + names);
            assertEquals(ROUNDS, names.size(), names.toString());
        }
        JsonNode meta = new ObjectMapper().readTree(resumed.resolve(CheckpointIO.METADATA).toFile()).get("resume");
        assertEquals(ROUNDS, meta.get("round").asLong());
        assertEquals(2, meta.get("partitions").asInt());
        assertEquals(TRAIN_ROWS, meta.get("trainExamples").asLong());
        assertTrue(meta.get("determinism").asText().contains("(seed, p, t)"), meta.toString());

        for (String changed : List.of("train.partitions=3", "train.seed=2", "train.averaging-frequency=5")) {
            VaeException e = assertThrows(VaeException.class,
                    () -> TrainJob.train(spark, base.with("run.dir=" + killed, "run.resume=true", changed)));
            String key = changed.substring(0, changed.indexOf('='));
            assertTrue(e.getMessage().contains(key) && e.getMessage().contains("round-0000" + ROUNDS), e.getMessage());
        }
    }

    private static List<JsonNode> metrics(Path run) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            out.add(json.readTree(line));
        }
        return out;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
