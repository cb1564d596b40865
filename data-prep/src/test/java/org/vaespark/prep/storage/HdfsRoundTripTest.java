package org.vaespark.prep.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.Prepare;
import org.vaespark.prep.testing.MiniHdfsServer;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.SparkTestSession;

/** MNIST prepared to hdfs:// (a real NameNode and DataNode on 127.0.0.1) reads back as the local output, and replaces cleanly. */
class HdfsRoundTripTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void mnistOnHdfsMatchesTheLocalDatasetAndOverwritesLeaveOneDataset() throws Exception {
        SparkSession spark = SparkTestSession.get();
        String remote = MiniHdfsServer.shared().uri() + "/datasets/mnist";
        String local = dir.resolve("mnist").toString();
        Manifest l = prepare(spark, local);
        Manifest r = prepare(spark, remote);
        assertEquals(l.contentSha256(), r.contentSha256());
        assertEquals(l.counts(), DatasetReader.manifest(spark, remote).counts());
        List<Row> a = DatasetReader.read(spark, local, "test").orderBy("id").limit(50).collectAsList();
        List<Row> b = DatasetReader.read(spark, remote, "test").orderBy("id").limit(50).collectAsList();
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getLong(0), b.get(i).getLong(0));
            assertEquals(a.get(i).get(2), b.get(i).get(2));
            assertEquals(java.util.Arrays.toString((byte[]) a.get(i).get(6)), java.util.Arrays.toString((byte[]) b.get(i).get(6)));
        }

        Manifest again = prepare(spark, remote, "prepare.overwrite=true");
        assertEquals(r.contentSha256(), again.contentSha256());
        Path parent = new Path(MiniHdfsServer.shared().uri() + "/datasets");
        FileSystem fs = parent.getFileSystem(spark.sparkContext().hadoopConfiguration());
        List<String> names = java.util.Arrays.stream(fs.listStatus(parent)).map(FileStatus::getPath).map(Path::getName).toList();
        assertEquals(List.of("mnist"), names, "the replaced dataset and the temporary copy are gone");
    }

    private static Manifest prepare(SparkSession spark, String output, String... more) {
        List<String> keys = new java.util.ArrayList<>(List.of("prepare.source=mnist",
                "prepare.input=" + SharedData.dir().resolve("mnist"), "prepare.output=" + output));
        keys.addAll(List.of(more));
        return Prepare.run(spark, Settings.defaults(keys.toArray(String[]::new)));
    }
}
