package org.vaespark.jobs.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;
import org.vaespark.prep.ImageSchema;
import scala.Tuple2;

/**
 * Examples grouped into id blocks ({@code id / batch}) that always travel whole to one partition
 * (the one batching of DistributedIwae, DistributedImputation and PosteriorStatistics): every
 * example is evaluated in the same batch whatever the partitioning, so per-example results are
 * bit-identical for any number of partitions.
 */
final class ExampleBlocks {
    private ExampleBlocks() {
    }

    /** The pixels and label ({@link Shard#NO_LABEL} when null) of one example. */
    record Example(long id, byte[] pixels, int label) implements Serializable {
    }

    /** One batch's model inputs, already encoded by {@link PixelEncoding}. */
    interface BatchFunction<T> extends Serializable {
        List<T> apply(long[] ids, float[] x, int[] labels);
    }

    /** The split's examples keyed by id block and partitioned by block. */
    static JavaPairRDD<Long, Example> keyed(Dataset<Row> split, long batch, int partitions) {
        return split.select(ImageSchema.ID, ImageSchema.PIXELS, ImageSchema.LABEL).javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getLong(0) / batch,
                        new Example(r.getLong(0), (byte[]) r.get(1), r.isNullAt(2) ? Shard.NO_LABEL : r.getInt(2))))
                .partitionBy(new HashPartitioner(partitions));
    }

    /**
     * Runs {@code f} over every block of a partition in id order. Dynamic binarization draws one
     * fixed binarization per example, seeded by {@code seed}, as at IWAE evaluation.
     */
    static <T> Iterator<T> each(Iterator<Tuple2<Long, Example>> rows, int dim, Binarization binarization, long seed,
                                BatchFunction<T> f) {
        return each(rows, dim, binarization, seed, null, f);
    }

    /**
     * The same, adding the examples of every block it finishes to {@code done} (the accumulator of an
     * {@link ExampleProgress} pass; null: not counted).
     */
    static <T> Iterator<T> each(Iterator<Tuple2<Long, Example>> rows, int dim, Binarization binarization, long seed,
                                LongAccumulator done, BatchFunction<T> f) {
        TreeMap<Long, TreeMap<Long, Example>> blocks = new TreeMap<>();
        while (rows.hasNext()) {
            Tuple2<Long, Example> r = rows.next();
            blocks.computeIfAbsent(r._1(), k -> new TreeMap<>()).put(r._2().id(), r._2());
        }
        List<T> out = new ArrayList<>();
        for (TreeMap<Long, Example> block : blocks.values()) {
            int n = block.size();
            long[] ids = new long[n];
            int[] labels = new int[n];
            float[] x = new float[n * dim];
            int i = 0;
            for (Example e : block.values()) {
                ids[i] = e.id();
                labels[i] = e.label();
                PixelEncoding.encode(e.pixels(), 0, dim, e.id(), binarization, seed, 0, x, i);
                i++;
            }
            out.addAll(f.apply(ids, x, labels));
            if (done != null) {
                done.add(n);
            }
        }
        return out.iterator();
    }
}
