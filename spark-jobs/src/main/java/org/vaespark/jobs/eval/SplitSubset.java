package org.vaespark.jobs.eval;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.vaespark.core.eval.ExampleSubset;
import org.vaespark.prep.ImageSchema;

/**
 * Applies an {@link ExampleSubset} to the rows of one split: collects the split's ids (8 bytes
 * each), picks the subset on the driver and keeps those rows, so every job that takes "N examples"
 * of a split takes the same N.
 */
public final class SplitSubset {
    private SplitSubset() {
    }

    /** How many of a split's {@code available} examples {@code subset} keeps: min(available, N); known from the manifest, no Spark job. */
    public static long count(ExampleSubset subset, long available) {
        return subset.isAll() ? available : Math.min(available, subset.size());
    }

    /** The rows of {@code split} whose ids belong to {@code subset}; {@code split} itself when that is all of them. */
    public static Dataset<Row> of(Dataset<Row> split, ExampleSubset subset) {
        if (subset.isAll()) {
            return split;
        }
        List<Long> ids = split.select(ImageSchema.ID).as(Encoders.LONG()).collectAsList();
        long[] chosen = subset.select(ids.stream().mapToLong(Long::longValue).toArray());
        if (chosen.length == ids.size()) {
            return split;
        }
        Object[] keep = new Object[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            keep[i] = chosen[i];
        }
        return split.filter(functions.col(ImageSchema.ID).isin(keep));
    }
}
