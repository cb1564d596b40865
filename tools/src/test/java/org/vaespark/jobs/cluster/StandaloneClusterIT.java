package org.vaespark.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Settings;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.SharedData;
import org.vaespark.core.train.Shard;
import org.vaespark.jobs.TrainJob;
import org.vaespark.prep.DatasetWriter;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.source.SourceData;
import org.vaespark.prep.source.SourceKind;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * train-vae.jar on a real Spark standalone cluster: a master and two workers as separate JVMs
 * started from Maven's Spark jars (no Spark download), the training job submitted by SparkSubmit in
 * cluster deploy mode (the driver runs on a worker), executors loading ND4J and its native
 * libraries from the jar. Each cluster run must end with the parameters and Adam moments, bit for
 * bit, of the same run in local[2] in this JVM (averaged on the driver): once averaged on the driver
 * with aggressive speculation (speculative copies of round tasks run on the other worker's host; three
 * partitions on two one-core executors make every round end with a straggler), once averaged by the
 * tasks (train.exchange=collective, three one-core executors) with an executor JVM killed in the
 * middle of a round (Spark reruns the segment's whole barrier stage and rebuilds the cached shard).
 * A round of a partition is a pure function of (parameters, Adam state, seed, round, partition), and
 * both exchanges sum the replicas alike, so neither may change anything.
 */
class StandaloneClusterIT {
    private static final Path ROOT = SharedData.projectRoot();
    private static final List<String> RUN = List.of("model.encoder.hidden=[64]", "model.decoder.hidden=[64]", "model.latent-dim=8",
            "train.partitions=3", "train.batch-size=25", "train.averaging-frequency=10", "train.epochs=8",
            "train.checkpoint-every-rounds=1", "train.seed=7");
    private static final int ROUNDS = 16;

    @TempDir
    static Path dir;
    static LaunchSettings launch;
    static String data;
    static Checkpoint local;
    static CompletableFuture<StandaloneCluster> starting;
    static StandaloneCluster cluster;

    /** The cluster starts while this JVM prepares the data and trains the local[2] reference run. */
    @BeforeAll
    static void localRunAndCluster() throws Exception {
        launch = LaunchSettings.read(ROOT);
        long t0 = System.nanoTime();
        starting = CompletableFuture.supplyAsync(() -> StandaloneCluster.start(
                StandaloneCluster.Spec.of(dir.resolve("cluster"), launch, 2, 2, "2g"), Duration.ofMinutes(3)));
        SparkSession spark = SparkTestSession.get();
        data = dataset(spark, dir, 1500);
        Path last = TrainJob.train(spark, Settings.defaults(args(dir.resolve("runs/local"), "train.exchange=driver").toArray(new String[0])));
        log("dataset + local[2] reference run: %.1f s, %s", seconds(t0), last);
        local = CheckpointIO.read(last);
        assertEquals(ROUNDS, local.metadata().round());
        cluster = starting.get();
        log("cluster %s up with %d ALIVE workers %.1f s after the start of the test", cluster.masterUrl(), cluster.aliveWorkers(), seconds(t0));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster == null && starting != null) {
            cluster = starting.exceptionally(e -> null).join();
        }
        if (cluster != null) {
            cluster.close();
            assertTrue(cluster.executors().isEmpty() && cluster.driverProcesses().isEmpty(), "close() leaves no executor or driver");
        }
    }

    @Test
    void clusterRunWithSpeculativeCopiesMatchesLocalBitForBit() throws Exception {
        Map<String, String> conf = ClusterSubmit.defaults(launch, 2);
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.speculation", "true");
        conf.put("spark.speculation.interval", "10ms");
        conf.put("spark.speculation.quantile", "0.3");
        conf.put("spark.speculation.multiplier", "0.01");
        conf.put("spark.speculation.minTaskRuntime", "1ms");
        conf.put("spark.speculation.efficiency.enabled", "false");
        Path run = dir.resolve("runs/speculative");
        long t0 = System.nanoTime();
        String driver = submitAndWait(conf, run, null, "train.exchange=driver");
        log("cluster run with speculation: %.1f s (submit to finish)", seconds(t0));
        String driverLog = Files.readString(cluster.workDir().resolve(driver).resolve("stderr"));
        List<String> speculative = matches(driverLog, "Starting task \\d+\\.[1-9] in stage [^\\n]*");
        log("speculative attempts launched: %d, e.g. %s", speculative.size(), speculative.stream().limit(2).toList());
        assertTrue(!speculative.isEmpty(), "aggressive speculation must launch a copy of some round task");
        assertTrue(!driverLog.contains("ExecutorLostFailure"), "an undisturbed run");
        assertIdenticalToLocal(run);
    }

    @Test
    void executorKilledInTheMiddleOfARoundChangesNothing() throws Exception {
        Map<String, String> conf = ClusterSubmit.defaults(launch, 2);
        // train.exchange=collective (the default): its barrier stage needs a slot per partition
        conf.put("spark.cores.max", "3");
        Path run = dir.resolve("runs/killed");
        long t0 = System.nanoTime();
        Kill kill = new Kill(run);
        String driver = submitAndWait(conf, run, kill);
        log("cluster run with a killed executor: %.1f s (submit to finish)", seconds(t0));
        assertTrue(kill.done != null, "no executor was killed");
        String driverLog = Files.readString(cluster.workDir().resolve(driver).resolve("stderr"));
        List<String> lost = matches(driverLog, "Lost task [^\\n]*");
        log("killed executor %s at %s during round %d; the driver lost: %s", kill.executorId, kill.done, kill.round, lost);
        assertTrue(driverLog.contains("Lost executor " + kill.executorId), "the driver must see the executor go");
        assertTrue(lost.stream().anyMatch(l -> l.contains("ExecutorLostFailure")), "the kill must land inside a round: " + lost);
        assertTrue(driverLog.contains("averaging segment of rounds") && driverLog.contains("rerunning it from its start"),
                "the driver reruns the segment whose barrier stage lost a task");
        try (Stream<Path> executors = Files.list(cluster.workDir().resolve(kill.appId))) {
            assertTrue(executors.count() >= 3, "the master must start a replacement executor");
        }
        assertIdenticalToLocal(run);
    }

    /**
     * Kills an executor once the first round is in metrics.jsonl. Under the collective exchange every
     * executor then runs a task of the one barrier stage, which rank 0 keeps reporting on: the kill lands
     * in a later round of a running stage, after the driver recorded an earlier one.
     */
    private static final class Kill {
        final Path run;
        String appId;
        String executorId;
        Instant done;
        long round;

        Kill(Path run) {
            this.run = run;
        }

        /** One poll; true once the kill is done. */
        boolean poll() throws IOException {
            Path metrics = run.resolve("metrics.jsonl");
            if (done != null || !Files.exists(metrics) || Files.readAllLines(metrics).isEmpty()) {
                return done != null;
            }
            for (ProcessHandle p : cluster.executors()) {
                Optional<List<String>> identity = cluster.executorIdentity(p);
                if (p.isAlive() && identity.isPresent()) {
                    round = Files.readAllLines(metrics).size() + 1;
                    p.destroyForcibly();
                    appId = identity.get().get(0);
                    executorId = identity.get().get(1);
                    done = Instant.now();
                    return true;
                }
            }
            return false;
        }
    }

    /** Submits the run, polls {@code kill} while it runs, checks the driver FINISHED; returns the driver id. */
    private static String submitAndWait(Map<String, String> conf, Path run, Kill kill, String... extra) throws Exception {
        Map<String, String> before = cluster.drivers();
        ClusterSubmit submit = new ClusterSubmit(cluster.masterUrl(), "cluster", "train", conf, args(run, extra));
        Path out = run.resolveSibling(run.getFileName() + "-submit.log");
        Files.createDirectories(out.getParent());
        Process p = submit.process(cluster, launch).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (!p.waitFor(kill == null ? 1000 : 20, TimeUnit.MILLISECONDS)) {
            if (kill != null) {
                kill.poll();
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("the submission did not finish in 8 minutes:\n" + StandaloneCluster.tail(out, 40));
            }
        }
        Map<String, String> after = new LinkedHashMap<>(cluster.drivers());
        before.keySet().forEach(after::remove);
        assertEquals(1, after.size(), "one new driver: " + after + "\n" + StandaloneCluster.tail(out, 40));
        String driver = after.keySet().iterator().next();
        assertEquals("FINISHED", after.get(driver), "driver " + driver + " of " + run + ":\n"
                + StandaloneCluster.tail(cluster.workDir().resolve(driver).resolve("stderr"), 60));
        assertEquals(0, p.exitValue(), StandaloneCluster.tail(out, 40));
        return driver;
    }

    private static void assertIdenticalToLocal(Path run) {
        List<Path> checkpoints = CheckpointIO.list(run.resolve("checkpoints"));
        assertEquals(ROUNDS, checkpoints.size(), "one checkpoint per round");
        Checkpoint c = CheckpointIO.read(checkpoints.get(checkpoints.size() - 1));
        assertEquals(local.metadata().round(), c.metadata().round());
        assertEquals(local.metadata().adamStep(), c.metadata().adamStep());
        assertTrue(local.parameters().identicalTo(c.parameters()), "parameters differ from the local[2] run's");
        assertTrue(local.adam().m().identicalTo(c.adam().m()), "Adam first moments differ from the local[2] run's");
        assertTrue(local.adam().v().identicalTo(c.adam().v()), "Adam second moments differ from the local[2] run's");
    }

    private static List<String> args(Path run, String... extra) {
        List<String> a = new ArrayList<>(RUN);
        a.addAll(List.of(extra));
        a.add("data.path=" + data);
        a.add("run.dir=" + run);
        return a;
    }

    /** The first {@code n} training rows of real binarized MNIST written as a prepared dataset (train split only). */
    private static String dataset(SparkSession spark, Path dir, int n) {
        Shard s = MnistRows.binarized("train", n, 0);
        List<ImageRecord> records = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            records.add(new ImageRecord(i, "train", null, 28, 28, 1, Arrays.copyOfRange(s.pixels(), i * 784, (i + 1) * 784)));
        }
        Map<String, List<ImageRecord>> splits = new HashMap<>(Map.of("train", records));
        SourceData source = new SourceData(SourceKind.BINARIZED_MNIST, 28, 28, 1, splits, List.of());
        String out = dir.resolve("data/binarized-mnist").toString();
        DatasetWriter.write(spark, out, splits, Manifest.of(source, Instant.now()), false);
        return out;
    }

    private static List<String> matches(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.println("[StandaloneClusterIT] " + String.format(format, args));
    }
}
