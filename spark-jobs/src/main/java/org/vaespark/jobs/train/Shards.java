package org.vaespark.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.vaespark.core.train.Shard;
import org.vaespark.prep.ImageSchema;
import scala.Tuple2;

/**
 * Turns a split of a prepared dataset into {@code partitions} cached {@link Shard}s, one per
 * Spark partition, with the label column (null labels become {@link Shard#NO_LABEL}). Example
 * {@code id} goes to partition {@code hash(id) mod partitions}, and each shard is sorted by id,
 * so the shards do not depend on file layout or read order.
 */
public final class Shards {
    private Shards() {
    }

    /** Shards with every label of the split. */
    public static JavaRDD<Shard> of(Dataset<Row> split, int partitions, int dim) {
        return of(split, partitions, dim, null);
    }

    /**
     * Shards where only the first {@code labelledPerClass} ids of each class keep their label
     * ({@code train.labelled-per-class}; null keeps every label): the same selection as
     * {@code LabelledSubset} over the whole split, made by ranking ids within each label.
     */
    public static JavaRDD<Shard> of(Dataset<Row> split, int partitions, int dim, Integer labelledPerClass) {
        JavaPairRDD<Long, Tuple2<byte[], Integer>> byId = hideLabels(split, labelledPerClass)
                .select(ImageSchema.ID, ImageSchema.PIXELS, ImageSchema.LABEL).javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getLong(0), new Tuple2<>((byte[]) r.get(1), r.isNullAt(2) ? Shard.NO_LABEL : r.getInt(2))))
                .partitionBy(new HashPartitioner(partitions));
        JavaRDD<Shard> shards = byId.mapPartitionsWithIndex((index, rows) -> single(toShard(index, rows, dim)), true);
        return shards.persist(StorageLevel.MEMORY_ONLY());
    }

    /** The split with the label set to null outside the first {@code perClass} ids of each class. */
    public static Dataset<Row> hideLabels(Dataset<Row> split, Integer perClass) {
        if (perClass == null) {
            return split;
        }
        var rank = row_number().over(Window.partitionBy(col(ImageSchema.LABEL)).orderBy(col(ImageSchema.ID)));
        return split.withColumn(ImageSchema.LABEL, when(col(ImageSchema.LABEL).isNotNull().and(rank.leq(perClass)),
                col(ImageSchema.LABEL)).otherwise(lit(null).cast(DataTypes.IntegerType)));
    }

    private static Shard toShard(int index, Iterator<Tuple2<Long, Tuple2<byte[], Integer>>> rows, int dim) {
        List<Long> ids = new ArrayList<>();
        List<byte[]> pixels = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        while (rows.hasNext()) {
            Tuple2<Long, Tuple2<byte[], Integer>> t = rows.next();
            ids.add(t._1());
            pixels.add(t._2()._1());
            labels.add(t._2()._2());
        }
        return Shard.of(index, ids.stream().mapToLong(Long::longValue).toArray(), pixels.toArray(new byte[0][]),
                labels.stream().mapToInt(Integer::intValue).toArray(), dim);
    }

    private static Iterator<Shard> single(Shard s) {
        return List.of(s).iterator();
    }
}
