package org.vaespark.prep.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.DatasetWriter;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.source.SourceData;
import org.vaespark.prep.testing.S3ProxyServer;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.SparkTestSession;
import org.vaespark.prep.testing.TestFiles;
import org.vaespark.prep.testing.TinyDatasets;
import org.vaespark.prep.validate.ContentHash;

/** A prepare JVM killed at any moment leaves the previous dataset byte for byte, or the complete new one. */
class KillDuringWriteTest {
    @TempDir
    Path dir;
    private Path childLog;

    @Test
    void killedWhileWritingLocallyLeavesThePreviousOrTheNewDataset() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Path output = dir.resolve("datasets/mnist");
        SourceData previous = TinyDatasets.mnistShaped(5, 20);
        DatasetWriter.write(spark, output.toString(), previous.splits(), Manifest.of(previous, Instant.now()), false);
        Map<String, String> before = TestFiles.snapshot(output);

        Process child = startPrepare(output.toString(), List.of());
        awaitOrExit(child, () -> TestFiles.list(output.getParent()).stream().anyMatch(n -> n.startsWith(".mnist.tmp-")));
        boolean midWrite = child.isAlive() && !Files.readString(childLog).contains("Wrote dataset");
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertPreviousOrComplete(spark, output, before);
        if (midWrite) {
            assertEquals(before, TestFiles.snapshot(output), "killed while its temporary copy was being written: the previous dataset must remain");
        }

        child = startPrepare(output.toString(), List.of());
        Thread.sleep(3000);
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertPreviousOrComplete(spark, output, before);
    }

    private static void assertPreviousOrComplete(SparkSession spark, Path output, Map<String, String> before) {
        assertEquals(List.of("mnist"), TestFiles.list(output.getParent()).stream().filter(n -> !n.startsWith(".")).toList(),
                "no visible partial state");
        if (TestFiles.snapshot(output).equals(before)) {
            return;
        }
        Manifest m = DatasetReader.manifest(spark, output.toString());
        assertEquals(Map.of("train", 60000L, "test", 10000L), m.counts());
        assertEquals(m.contentSha256(), ContentHash.of(DatasetReader.read(spark, output.toString())));
    }

    @Test
    void killedWhileWritingToS3LeavesThePreviousDataset() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.shared();
        SparkSession spark = SparkTestSession.get();
        String output = "s3a://" + S3ProxyServer.BUCKET + "/kill/mnist";
        SourceData previous = TinyDatasets.mnistShaped(5, 20);
        Manifest before = DatasetWriter.write(spark, output, previous.splits(), Manifest.of(previous, Instant.now()), false);
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(output);
        org.apache.hadoop.fs.FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        org.apache.hadoop.fs.Path version = CurrentPointer.resolve(fs, fs.makeQualified(root));

        // the child reaches S3 through the standard Hadoop settings, as spark.hadoop.* system properties
        List<String> s3a = s3.s3aSettings().stream().map(kv -> "-Dspark.hadoop." + kv[0] + "=" + kv[1]).toList();
        Process child = startPrepare(output, s3a);
        awaitOrExit(child, () -> logContains("Read mnist"));
        Thread.sleep(1000);
        boolean midWrite = child.isAlive() && !logContains("Wrote dataset");
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertTrue(midWrite, "the kill must land while the s3a write is in progress; child log:\n" + Files.readString(childLog));

        assertEquals(version, CurrentPointer.resolve(fs, fs.makeQualified(root)), "the version pointer still names the previous dataset");
        Manifest after = DatasetReader.manifest(spark, output);
        assertEquals(before, after);
        assertEquals(before.contentSha256(), ContentHash.of(DatasetReader.read(spark, output)), "the previous dataset reads back complete");
    }

    private boolean logContains(String text) {
        try {
            return childLog != null && Files.readString(childLog).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private Process startPrepare(String output, List<String> jvmProperties) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-D")).toList());
        cmd.addAll(jvmProperties);
        cmd.addAll(List.of("-Xmx2g", "-cp", System.getProperty("java.class.path"), PrepareChild.class.getName(),
                "prepare.source=mnist", "prepare.input=" + SharedData.dir().resolve("mnist"),
                "prepare.output=" + output, "prepare.overwrite=true"));
        childLog = Files.createTempFile(dir, "child", ".log");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
    }

    private static void awaitOrExit(Process child, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean() && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive() || child.exitValue() == 0, "the prepare JVM failed on its own");
    }
}
