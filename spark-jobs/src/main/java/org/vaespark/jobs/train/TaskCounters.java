package org.vaespark.jobs.train;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;
import org.vaespark.core.train.Replica;
import org.vaespark.core.train.RoundResult;

/**
 * Named Spark accumulators the training tasks add to, shown per stage and in total in the Spark
 * UI: {@value #EXAMPLES} (examples the local steps processed) and {@value #LOCAL_STEPS_MS}
 * (milliseconds of local steps, summed over tasks). They are updated inside a transformation,
 * so a task that Spark re-runs (a lost executor, speculation) is counted again: they measure work
 * done, while metrics.jsonl's {@code examples_seen} counts each round's examples once.
 */
public record TaskCounters(LongAccumulator examples, LongAccumulator localStepsMs) implements Serializable {
    public static final String EXAMPLES = "vae.examples";
    public static final String LOCAL_STEPS_MS = "vae.local-steps-ms";

    /** Registers the two accumulators with {@code sc} (once per training run: each registration is a new pair). */
    public static TaskCounters register(SparkContext sc) {
        return new TaskCounters(sc.longAccumulator(EXAMPLES), sc.longAccumulator(LOCAL_STEPS_MS));
    }

    /** Adds one task's round of local steps; returns it. */
    public Replica.Round record(Replica.Round r) {
        add(r.examples(), r.localSeconds());
        return r;
    }

    /** Adds one task's result; returns it. */
    public RoundResult record(RoundResult r) {
        add(r.examples(), r.localSeconds());
        return r;
    }

    private void add(long n, double localSeconds) {
        examples.add(n);
        localStepsMs.add(Math.round(localSeconds * 1000));
    }
}
