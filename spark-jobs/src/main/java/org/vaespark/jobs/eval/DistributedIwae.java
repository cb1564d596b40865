package org.vaespark.jobs.eval;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.IwaeEstimator;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;
import org.vaespark.prep.ImageSchema;
import scala.Tuple2;

/**
 * IWAE-k over a dataset split, distributed over Spark partitions: the model is broadcast, each
 * partition evaluates its examples in batches with {@link IwaeEstimator}, with their labels
 * (a CVAE estimates log p(x|c); M2 sums over y itself). The noise of an example
 * depends only on (seed, id) and its batch only on its id, so per-example values do not depend
 * on partitioning.
 */
public final class DistributedIwae {
    private DistributedIwae() {
    }

    /** What each task needs. */
    public record Job(VaeConfig model, NamedArrays parameters, EvalConfig eval, Binarization binarization, int threads)
            implements java.io.Serializable {
    }

    /**
     * Per-example estimates over {@code partitions} tasks. Batches are id blocks
     * ({@code id / eval.batch-size}) and whole blocks go to one partition, so every example is
     * always evaluated in the same batch: results are bit-identical for any partitioning.
     */
    public static JavaRDD<ExampleEstimate> estimate(JavaSparkContext sc, Dataset<Row> split, Job job, int partitions) {
        Broadcast<Job> b = sc.broadcast(job);
        long batch = job.eval().batchSize();
        return split.select(ImageSchema.ID, ImageSchema.PIXELS, ImageSchema.LABEL).javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getLong(0) / batch, new Tuple2<>(r.getLong(0),
                        new Example((byte[]) r.get(1), r.isNullAt(2) ? Shard.NO_LABEL : r.getInt(2)))))
                .partitionBy(new HashPartitioner(partitions))
                .mapPartitions(rows -> evaluate(b.value(), rows));
    }

    /** The pixels and label ({@link Shard#NO_LABEL} when null) of one example. */
    private record Example(byte[] pixels, int label) implements java.io.Serializable {
    }

    private static Iterator<ExampleEstimate> evaluate(Job job, Iterator<Tuple2<Long, Tuple2<Long, Example>>> rows) {
        TreeMap<Long, TreeMap<Long, Example>> blocks = new TreeMap<>();
        while (rows.hasNext()) {
            Tuple2<Long, Tuple2<Long, Example>> r = rows.next();
            blocks.computeIfAbsent(r._1(), k -> new TreeMap<>()).put(r._2()._1(), r._2()._2());
        }
        List<ExampleEstimate> out = new ArrayList<>();
        if (blocks.isEmpty()) {
            return out.iterator();
        }
        NativeThreads.configure(job.threads());
        Vae model = Vae.withParameters(job.model(), job.parameters());
        IwaeEstimator estimator = new IwaeEstimator(model, job.eval().k(), job.eval().chunk(), job.eval().seed());
        int dim = job.model().inputDim();
        for (TreeMap<Long, Example> block : blocks.values()) {
            long[] ids = new long[block.size()];
            int[] labels = new int[block.size()];
            byte[] pixels = new byte[block.size() * dim];
            int n = 0;
            for (var e : block.entrySet()) {
                ids[n] = e.getKey();
                labels[n] = e.getValue().label();
                System.arraycopy(e.getValue().pixels(), 0, pixels, n * dim, dim);
                n++;
            }
            flush(job, estimator, ids, labels, pixels, n, dim, out);
        }
        return out.iterator();
    }

    private static void flush(Job job, IwaeEstimator estimator, long[] ids, int[] labels, byte[] pixels, int n, int dim,
                              List<ExampleEstimate> out) {
        long[] batchIds = java.util.Arrays.copyOf(ids, n);
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            // Dynamic binarization at evaluation: one fixed draw per example, seeded by the evaluation seed.
            PixelEncoding.encode(pixels, i, dim, batchIds[i], job.binarization(), job.eval().seed(), 0, x, i);
        }
        out.addAll(List.of(estimator.estimate(batchIds, x, java.util.Arrays.copyOf(labels, n))));
    }
}
