package org.vaespark.jobs.train;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.train.Shard;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.ImageSchema;

/**
 * Rows of a split collected to the driver as one {@link Shard} (ids, pixels, labels; a null
 * label becomes {@link Shard#NO_LABEL}): for single-process benchmarks and for initialising a
 * model from data (VampPrior pseudo-inputs).
 */
public final class DriverRows {
    private DriverRows() {
    }

    /** Every row of {@code split}. */
    public static Shard collect(SparkSession spark, String data, String split, int dim) {
        return shard(DatasetReader.read(spark, data, split), dim);
    }

    /** The first {@code limit} rows of {@code split} by id. */
    public static Shard first(SparkSession spark, String data, String split, int dim, int limit) {
        return shard(DatasetReader.read(spark, data, split).orderBy(ImageSchema.ID).limit(limit), dim);
    }

    private static Shard shard(Dataset<Row> frame, int dim) {
        List<Row> rows = frame.select(ImageSchema.ID, ImageSchema.PIXELS, ImageSchema.LABEL).collectAsList();
        long[] ids = new long[rows.size()];
        byte[][] pixels = new byte[rows.size()][];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rows.get(i).getLong(0);
            pixels[i] = (byte[]) rows.get(i).get(1);
            labels[i] = rows.get(i).isNullAt(2) ? Shard.NO_LABEL : rows.get(i).getInt(2);
        }
        return Shard.of(0, ids, pixels, labels, dim);
    }
}
