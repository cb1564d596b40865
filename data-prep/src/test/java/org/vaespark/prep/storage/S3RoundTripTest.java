package org.vaespark.prep.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.Prepare;
import org.vaespark.prep.testing.S3ProxyServer;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * MNIST prepared to s3a:// (through the S3A committer, against S3Proxy) reads back row for row as
 * the same prepare written locally, with the same content hash; and raw files on s3a:// prepare to
 * a local dataset.
 */
class S3RoundTripTest {
    static final String BUCKET = S3ProxyServer.BUCKET;

    @TempDir
    static Path dir;

    private static S3ProxyServer s3;
    private static SparkSession spark;
    private static String local;
    private static Manifest localManifest;

    @BeforeAll
    static void start() {
        s3 = S3ProxyServer.shared();
        spark = SparkTestSession.get();
        local = dir.resolve("local/mnist").toString();
        localManifest = prepare(SharedData.dir().resolve("mnist").toString(), local);
    }

    static Manifest prepare(String input, String output, String... more) {
        List<String> keys = new ArrayList<>(List.of("prepare.source=mnist", "prepare.input=" + input,
                "prepare.output=" + output));
        keys.addAll(List.of(more));
        return Prepare.run(spark, Settings.defaults(keys.toArray(String[]::new)));
    }

    @Test
    void mnistOnS3ReadsBackAsTheLocalDatasetRowForRow() throws Exception {
        String remote = "s3a://" + BUCKET + "/datasets/mnist";
        Manifest m = prepare(SharedData.dir().resolve("mnist").toString(), remote);
        assertEquals(localManifest.contentSha256(), m.contentSha256());
        assertEquals(m, DatasetReader.manifest(spark, remote));
        assertEquals(localManifest.counts(), m.counts());
        assertSameRows(DatasetReader.read(spark, local), DatasetReader.read(spark, remote));
        assertEquals(10000L, DatasetReader.read(spark, remote, "test").count());

        FileSystem fs = new org.apache.hadoop.fs.Path(remote).getFileSystem(spark.sparkContext().hadoopConfiguration());
        List<String> top = new ArrayList<>();
        for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(remote))) {
            top.add(s.getPath().getName());
        }
        assertEquals(2, top.size(), "the pointer and one version: " + top);
        assertTrue(top.contains(CurrentPointer.FILE), top.toString());
        assertTrue(top.stream().anyMatch(n -> n.startsWith(CurrentPointer.VERSION_PREFIX)), top.toString());
        org.apache.hadoop.fs.Path version = CurrentPointer.resolve(fs, fs.makeQualified(new org.apache.hadoop.fs.Path(remote)));
        try (java.io.InputStream in = fs.open(new org.apache.hadoop.fs.Path(version, "_SUCCESS"))) {
            String success = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(success.contains("\"committer\"") && success.contains("directory"),
                    "an S3A committer's JSON _SUCCESS, not the classic empty one: " + success);
        }

        Manifest again = prepare(SharedData.dir().resolve("mnist").toString(), remote, "prepare.overwrite=true");
        assertEquals(m.contentSha256(), again.contentSha256());
        List<String> after = new ArrayList<>();
        for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(remote))) {
            after.add(s.getPath().getName());
        }
        assertEquals(2, after.size(), "the superseded version is deleted: " + after);
        assertFalse(after.containsAll(top), "a new version directory: " + top + " then " + after);
        assertEquals(again.createdAt(), DatasetReader.manifest(spark, remote).createdAt());
    }

    @Test
    void rawFilesOnS3PrepareToALocalDataset() throws Exception {
        String raw = "s3a://" + BUCKET + "/raw/mnist";
        FileSystem fs = new org.apache.hadoop.fs.Path(raw).getFileSystem(spark.sparkContext().hadoopConfiguration());
        for (String name : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(SharedData.dir().resolve("mnist").resolve(name).toUri()),
                    new org.apache.hadoop.fs.Path(raw, name));
        }
        String out = dir.resolve("from-s3/mnist").toString();
        Manifest m = prepare(raw, out);
        assertEquals(localManifest.contentSha256(), m.contentSha256());
        assertEquals(localManifest.sourceFiles(), m.sourceFiles());
        assertEquals(localManifest.counts(), DatasetReader.manifest(spark, out).counts());
    }

    static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
        assertEquals(expected.count(), actual.count());
        assertEquals(0L, expected.except(actual).count(), "rows only in the first");
        assertEquals(0L, actual.except(expected).count(), "rows only in the second");
    }
}
