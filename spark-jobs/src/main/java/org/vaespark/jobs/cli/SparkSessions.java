package org.vaespark.jobs.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.prep.storage.CloudCommitters;

/**
 * Opens the job's SparkSession. Under spark-submit the master and resources come from it;
 * launched with plain {@code java} (no Spark installed) the session runs embedded with
 * {@code spark.master} from the settings (default {@code local[*]}). Output goes through the S3A
 * committers on object stores ({@link CloudCommitters}). The job's {@code spark.*} arguments
 * ({@link Settings#spark()}, e.g. {@code spark.hadoop.fs.s3a.endpoint=...}) are set last and win; they are
 * logged with the values of secret keys masked. Without them, s3a credentials come from Hadoop's default
 * provider chain (environment, profile, instance role).
 */
public final class SparkSessions {
    private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);

    private SparkSessions() {
    }

    public static SparkSession open(String appName, Settings settings) {
        return SparkSession.builder().config(conf(appName, settings)).getOrCreate();
    }

    /** The session's configuration: spark-submit's or the embedded defaults, then the job's {@code spark.*} arguments. */
    public static SparkConf conf(String appName, Settings settings) {
        SparkConf conf = new SparkConf(true).setAppName(appName);
        if (!conf.contains("spark.master")) {
            conf.setMaster(Keys.string(settings.config(), "spark.master"));
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        }
        conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        if (!settings.spark().isEmpty()) {
            settings.spark().forEach(conf::set);
            LOG.info("Spark settings from the arguments: " + settings.describeSpark());
        }
        CloudCommitters.apply(conf);
        return conf;
    }
}
