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
import org.vaespark.core.cpu.ExecutorChoice;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.IwaeEstimator;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.jobs.train.TaskGpu;
import scala.Tuple2;

/**
 * IWAE-k over a dataset split, distributed over Spark partitions: the model is broadcast, each
 * partition evaluates its examples in batches with {@link IwaeEstimator}, with their labels
 * (a CVAE estimates log p(x|c); M2 sums over y itself). The noise of an example
 * depends only on (seed, id) and its batch only on its id, so per-example values do not depend
 * on partitioning. The executor ({@code model.backend}, in {@link EvalConfig#backend()}) is chosen
 * by {@link ExecutorChoice}, on the driver for the log and the results and in each task alike.
 */
public final class DistributedIwae {
    private DistributedIwae() {
    }

    /** What each task needs. */
    public record Job(VaeConfig model, NamedArrays parameters, EvalConfig eval, Binarization binarization, int threads)
            implements java.io.Serializable {
    }

    /**
     * The executor the tasks evaluate on, and why: the same choice each task makes, made on the
     * driver so that a job can log and record it (and fail before any task for a {@code cpu} request
     * the model cannot have).
     */
    public static ExecutorChoice executor(Job job) {
        return ExecutorChoice.of(job.model(), job.eval().backend());
    }

    /**
     * Per-example estimates over {@code partitions} tasks. Batches are id blocks
     * ({@code id / eval.batch-size}) and whole blocks go to one partition, so every example is
     * always evaluated in the same batch: results are bit-identical for any partitioning.
     */
    public static JavaRDD<ExampleEstimate> estimate(JavaSparkContext sc, Dataset<Row> split, Job job, int partitions) {
        return estimate(sc, split, job, partitions, null);
    }

    /**
     * The same, each task adding the examples of every batch it finishes to {@code done} (a
     * {@link ExampleProgress} pass's accumulator; null: not counted).
     */
    public static JavaRDD<ExampleEstimate> estimate(JavaSparkContext sc, Dataset<Row> split, Job job, int partitions, LongAccumulator done) {
        Broadcast<Job> b = sc.broadcast(job);
        return ExampleBlocks.keyed(split, job.eval().batchSize(), partitions).mapPartitions(rows -> evaluate(b.value(), rows, done));
    }

    private static Iterator<ExampleEstimate> evaluate(Job job, Iterator<Tuple2<Long, ExampleBlocks.Example>> rows, LongAccumulator done) {
        if (!rows.hasNext()) {
            return Collections.emptyIterator();
        }
        NativeThreads.configure(job.threads());
        TaskGpu.bind();
        Vae model = Vae.withParameters(job.model(), job.parameters());
        IwaeEstimator estimator = new IwaeEstimator(model, job.eval().k(), job.eval().chunk(), job.eval().seed(),
                job.eval().backend());
        // Dynamic binarization at evaluation: one fixed draw per example, seeded by the evaluation seed.
        return ExampleBlocks.each(rows, job.model().inputDim(), job.binarization(), job.eval().seed(), done,
                (ids, x, labels) -> List.of(estimator.estimate(ids, x, labels)));
    }
}
