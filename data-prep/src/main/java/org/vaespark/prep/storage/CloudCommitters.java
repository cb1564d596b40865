package org.vaespark.prep.storage;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;

/**
 * The one home of the output-committer settings: Spark writes through Hadoop's
 * {@code PathOutputCommitter} factory, so s3a:// output goes through the S3A "directory" staging
 * committer and never relies on renaming files on the object store, while file:// and hdfs://
 * keep the classic rename-based {@code FileOutputCommitter}. These are the settings of Spark's
 * "Integration with Cloud Infrastructures" guide (docs/cloud-integration.md, "Configuring" and
 * "Committing work into cloud storage safely and fast") and of Hadoop's "Committing work to S3
 * with the S3A Committers" (hadoop-aws/committers.html).
 *
 * <p>They are applied only when spark-hadoop-cloud is on the classpath (spark-jobs ships it in
 * the fat jar); without it Spark's default protocol stays, which is safe on file systems.
 */
public final class CloudCommitters {
    /** Spark's binding of its commit protocol to Hadoop's committer factories (spark-hadoop-cloud). */
    public static final String PROTOCOL = "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol";
    /** Lets Parquet's writer accept a non-Parquet committer (spark-hadoop-cloud). */
    public static final String PARQUET_COMMITTER = "org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter";

    private CloudCommitters() {
    }

    /** The settings as Spark configuration keys, in the order they are documented. */
    public static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("spark.sql.sources.commitProtocolClass", PROTOCOL);
        s.put("spark.sql.parquet.output.committer.class", PARQUET_COMMITTER);
        s.put("spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a",
                "org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory");
        // "directory" stages task output on local disk and uploads it as uncompleted multipart
        // uploads that the job commit completes; it needs no S3 "magic" path support.
        s.put("spark.hadoop.fs.s3a.committer.name", "directory");
        // Each job writes into a fresh directory (see ObjectStoreCommit), so there is nothing to
        // replace; "fail" turns a reused directory into an error instead of a silent merge.
        s.put("spark.hadoop.fs.s3a.committer.staging.conflict-mode", "fail");
        return s;
    }

    /** Whether spark-hadoop-cloud's protocol class is loadable here. */
    public static boolean available() {
        try {
            Class.forName(PROTOCOL, false, CloudCommitters.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Sets every key that {@code conf} does not set already; a no-op without spark-hadoop-cloud. */
    public static SparkConf apply(SparkConf conf) {
        if (available()) {
            settings().forEach(conf::setIfMissing);
        }
        return conf;
    }
}
