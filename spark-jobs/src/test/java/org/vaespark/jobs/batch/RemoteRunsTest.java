package org.vaespark.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.prep.testing.MiniHdfsServer;
import org.vaespark.prep.testing.S3ProxyServer;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * A batch whose runs directory and results table live on a real HDFS (NameNode + DataNode on
 * 127.0.0.1) and on an S3-compatible server (S3Proxy on 127.0.0.1, through s3a://): discovery,
 * checkpoint reading, claims and the commit work there as locally, and a re-run adds nothing.
 */
class RemoteRunsTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path runs;

    @BeforeAll
    static void train() {
        spark = SparkTestSession.get();
        String data = SmallRuns.dataset(spark, dir, 120);
        runs = dir.resolve("runs");
        SmallRuns.train(spark, data, runs, "r1", 1, 1);
        SmallRuns.train(spark, data, runs, "r2", 2, 1);
    }

    @Test
    void runsAndResultsOnHdfs() throws Exception {
        batchOn(MiniHdfsServer.shared().uri() + "/eval-" + UUID.randomUUID());
    }

    @Test
    void runsAndResultsOnS3() throws Exception {
        S3ProxyServer.shared();
        batchOn("s3a://" + S3ProxyServer.BUCKET + "/eval-" + UUID.randomUUID());
    }

    private static void batchOn(String root) throws Exception {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        org.apache.hadoop.fs.Path remoteRuns = new org.apache.hadoop.fs.Path(root + "/runs");
        FileSystem fs = remoteRuns.getFileSystem(conf);
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(runs.toUri()), remoteRuns);
        assertEquals(2, CheckpointDiscovery.find(remoteRuns.toString(), conf).size());

        Settings s = Settings.defaults("evaluate.runs=" + remoteRuns, "results.dir=" + root + "/results", "eval.k=8", "eval.chunk=8",
                "eval.max-examples=16");
        EvaluationBatch.Report first = new EvaluationBatch(spark, s).run();
        assertEquals(2, first.evaluated().size());
        List<ResultRow> rows = new ResultsTable(spark, root + "/results").readAll();
        assertEquals(4, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.checkpoint().startsWith(remoteRuns.toUri().getScheme() + "://")), rows.toString());
        EvaluationBatch.Report again = new EvaluationBatch(spark, s).run();
        assertEquals(0, again.evaluated().size());
        assertEquals(2, again.alreadyDone());
        assertEquals(4, new ResultsTable(spark, root + "/results").readAll().size());
    }
}
