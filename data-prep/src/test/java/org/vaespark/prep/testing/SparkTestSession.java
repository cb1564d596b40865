package org.vaespark.prep.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.vaespark.prep.storage.CloudCommitters;

/**
 * The one SparkSession of a test JVM: {@code local[2]}, no UI, 4 shuffle partitions, bound to
 * 127.0.0.1, with the committers of {@link CloudCommitters} as the jobs use them. Created on first use and stopped by a JVM shutdown hook; tests must not stop it.
 * Shared through data-prep's test-jar so that spark-jobs tests use the same session settings.
 */
public final class SparkTestSession {
    private static SparkSession session;

    private SparkTestSession() {
    }

    public static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder()
                    .config(CloudCommitters.apply(new SparkConf(false)))
                    .master("local[2]")
                    .appName("vaespark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.warehouse.dir", warehouse())
                    .getOrCreate();
            SparkSession s = session;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "stop-test-spark"));
        }
        return session;
    }

    /** A throw-away warehouse dir, so no {@code spark-warehouse/} appears in the module directory. */
    private static String warehouse() {
        try {
            Path dir = Files.createTempDirectory("vaespark-test-warehouse");
            dir.toFile().deleteOnExit();
            return dir.toUri().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
