package org.vaespark.jobs.eval;

import java.util.List;
import java.util.function.Function;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.vaespark.jobs.progress.SparkProgress;

/**
 * The progress lines of an evaluation's passes over its examples (IWAE, the diagnostics): done/total, rate and ETA
 * every {@code progress.interval-seconds} through {@link SparkProgress#counting}, each pass also an accumulator
 * "vae progress: …" in the Spark UI. The tasks add every batch they finish to the accumulator of the open pass
 * ({@link ExampleBlocks#each}).
 *
 * @param subject         what is evaluated, as the lines name it ("run round 80 on test")
 * @param examples        the examples of a pass over the whole evaluated set
 * @param intervalSeconds {@code progress.interval-seconds}
 */
public record ExampleProgress(String subject, long examples, double intervalSeconds) {

    /** The lines of a pass over every example, named "{@code pass} of {@code subject}". */
    public SparkProgress pass(SparkContext sc, Logger log, String pass) {
        return pass(sc, log, pass, examples);
    }

    /** The lines of a pass over {@code n} examples. */
    public SparkProgress pass(SparkContext sc, Logger log, String pass, long n) {
        return SparkProgress.counting(sc, log, pass + " of " + subject, "examples", n, intervalSeconds);
    }

    /** Collects the RDD that {@code work} builds on the pass's accumulator, with the pass's lines and its closing line. */
    public <T> List<T> collect(SparkContext sc, Logger log, String pass, long n, Function<LongAccumulator, JavaRDD<T>> work) {
        try (SparkProgress p = pass(sc, log, pass, n)) {
            List<T> out = work.apply(p.accumulator()).collect();
            p.finish();
            return out;
        }
    }
}
