package org.vaespark.jobs.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.prep.storage.CloudCommitters;

/**
 * Opens the job's SparkSession. Under spark-submit the master and resources come from it;
 * launched with plain {@code java} (no Spark installed) the session runs embedded with
 * {@code spark.master} from the settings (default {@code local[*]}). Output goes through the S3A
 * committers on object stores ({@link CloudCommitters}); s3a credentials come from Hadoop's default
 * provider chain (environment, profile, instance role) and are never set or logged here.
 */
public final class SparkSessions {
    private SparkSessions() {
    }

    public static SparkSession open(String appName, Settings settings) {
        SparkConf conf = new SparkConf(true).setAppName(appName);
        if (!conf.contains("spark.master")) {
            conf.setMaster(Keys.string(settings.config(), "spark.master"));
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        }
        conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        CloudCommitters.apply(conf);
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
