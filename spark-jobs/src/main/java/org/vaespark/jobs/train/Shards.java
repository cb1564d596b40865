package org.vaespark.jobs.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.vaespark.core.train.Shard;
import org.vaespark.prep.ImageSchema;
import scala.Tuple2;

/**
 * Turns a split of a prepared dataset into {@code partitions} cached {@link Shard}s, one per
 * Spark partition. Example {@code id} goes to partition {@code hash(id) mod partitions}, and
 * each shard is sorted by id, so the shards do not depend on file layout or read order.
 */
public final class Shards {
    private Shards() {
    }

    public static JavaRDD<Shard> of(Dataset<Row> split, int partitions, int dim) {
        JavaPairRDD<Long, byte[]> byId = split.select(ImageSchema.ID, ImageSchema.PIXELS).javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getLong(0), (byte[]) r.get(1)))
                .partitionBy(new HashPartitioner(partitions));
        JavaRDD<Shard> shards = byId.mapPartitionsWithIndex((index, rows) -> single(toShard(index, rows, dim)), true);
        return shards.persist(StorageLevel.MEMORY_ONLY());
    }

    private static Shard toShard(int index, Iterator<Tuple2<Long, byte[]>> rows, int dim) {
        List<Long> ids = new ArrayList<>();
        List<byte[]> pixels = new ArrayList<>();
        while (rows.hasNext()) {
            Tuple2<Long, byte[]> t = rows.next();
            ids.add(t._1());
            pixels.add(t._2());
        }
        return Shard.of(index, ids.stream().mapToLong(Long::longValue).toArray(), pixels.toArray(new byte[0][]), dim);
    }

    private static Iterator<Shard> single(Shard s) {
        return List.of(s).iterator();
    }
}
