package org.vaespark.jobs.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;

/**
 * Opens the job's SparkSession. Under spark-submit the master and resources come from it;
 * launched with plain {@code java} (no Spark installed) the session runs embedded with
 * {@code spark.master} from the settings (default {@code local[*]}).
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
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
