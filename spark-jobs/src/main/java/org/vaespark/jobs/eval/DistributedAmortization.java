package org.vaespark.jobs.eval;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.amortization.AmortizationConfig;
import org.vaespark.core.eval.amortization.AmortizationGap;
import org.vaespark.core.eval.amortization.ExampleGap;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.train.NativeThreads;

/**
 * The amortization gap (Cremer, Li &amp; Duvenaud 2018) of every example of a split, distributed over Spark
 * partitions: the model is broadcast and each partition refines and scores its examples with
 * {@link AmortizationGap} on the CPU executor, in the id blocks of {@link ExampleBlocks}. Noise depends only on
 * (eval.seed, id), so per-example values do not depend on partitioning.
 */
final class DistributedAmortization {
    private DistributedAmortization() {
    }

    /** What each task needs. */
    record Job(VaeConfig model, NamedArrays parameters, EvalConfig eval, AmortizationConfig config, Binarization binarization,
               int threads) implements java.io.Serializable {
    }

    /** Every example's gaps over {@code partitions} tasks, each adding its finished batches to {@code done} (null: not counted). */
    static JavaRDD<ExampleGap> estimate(JavaSparkContext sc, Dataset<Row> split, Job job, int partitions, LongAccumulator done) {
        Broadcast<Job> b = sc.broadcast(job);
        return ExampleBlocks.keyed(split, job.eval().batchSize(), partitions).mapPartitions(rows -> {
            Job j = b.value();
            if (!rows.hasNext()) {
                return Collections.<ExampleGap>emptyIterator();
            }
            NativeThreads.configure(j.threads());
            AmortizationGap gap = new AmortizationGap(j.model(), j.parameters(), j.eval(), j.config());
            Iterator<ExampleGap> out = ExampleBlocks.each(rows, j.model().inputDim(), j.binarization(), j.eval().seed(), done,
                    (ids, x, labels) -> List.of(gap.estimate(ids, x, labels)));
            return out;
        });
    }
}
