package org.vaespark.jobs.leaderboard;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one definition of the results table that EvaluateJob writes and LeaderboardJob reads:
 * one summary row per (run, checkpoint, split, metric, k). {@link ResultRow} is its Java form.
 *
 * <p>{@code mean} is the mean <em>log-likelihood estimate</em> in nats (negative for discrete
 * data); the leaderboard shows NLL = −mean. {@code metric} is {@value #METRIC_IWAE} (the
 * importance-weighted bound L_k of Burda et al. 2016, with k = {@code estimator_k}) or
 * {@value #METRIC_ELBO} (the ELBO, averaged over {@code estimator_k} samples per example).
 */
public final class ResultSchema {
    private ResultSchema() {
    }

    public static final String DATASET = "dataset";
    /** static | dynamic | none | dequantize (the pixel encoding of training and evaluation); null only for datasets that are not MNIST. */
    public static final String BINARIZATION = "binarization";
    /** e.g. the ImageNet 64x64 version; null where the dataset has a single version. */
    public static final String DATASET_VERSION = "dataset_version";
    public static final String RUN = "run";
    public static final String CHECKPOINT = "checkpoint";
    public static final String STEP = "step";
    public static final String SPLIT = "split";
    public static final String METRIC = "metric";
    /** k of IWAE-k, or the number of samples per example of the ELBO. */
    public static final String ESTIMATOR_K = "estimator_k";
    public static final String MEAN = "mean";
    public static final String STDERR = "stderr";
    public static final String N = "n";
    public static final String SEED = "seed";
    public static final String MODEL = "model";
    public static final String PARAMETERS = "parameters";
    public static final String EXAMPLES_SEEN = "examples_seen";
    public static final String TRAIN_WALL_SECONDS = "train_wall_seconds";
    public static final String EVAL_WALL_SECONDS = "eval_wall_seconds";
    /** ISO-8601 date-time with offset, e.g. 2024-05-01T10:15:30Z. */
    public static final String EVALUATED_AT = "evaluated_at";

    /**
     * The mean's bits per dimension (docs/math.md, Evaluation protocol); null where not defined, with the reason in
     * {@link #NOTE}.
     */
    public static final String BITS_PER_DIM = "bits_per_dim";
    /** Which bits/dim formula was used, or why there is none. */
    public static final String NOTE = "note";
    /** The executor that evaluated the row, "cpu" or "graph" ({@code ExecutorChoice}); null in rows written before it was recorded. */
    public static final String EXECUTOR = "executor";
    /**
     * Which examples of the split were evaluated: {@code all}, or {@code hash-subset n=1000 seed=21}
     * ({@link org.vaespark.core.eval.ExampleSubset}); null in rows written before it was recorded.
     */
    public static final String SELECTION = "selection";
    /** Nullable columns appended after tables were first written; a row or table without them reads them as null. */
    public static final List<String> ADDED_LATER = List.of(EXECUTOR, SELECTION);

    public static final String METRIC_IWAE = "iwae";
    public static final String METRIC_ELBO = "elbo";
    public static final List<String> METRICS = List.of(METRIC_IWAE, METRIC_ELBO);
    public static final List<String> BINARIZATIONS = List.of("static", "dynamic", "none", "dequantize");

    /** The table's schema; the column order is the order of {@link ResultRow}'s components. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        field(DATASET, DataTypes.StringType, false),
        field(BINARIZATION, DataTypes.StringType, true),
        field(DATASET_VERSION, DataTypes.StringType, true),
        field(RUN, DataTypes.StringType, false),
        field(CHECKPOINT, DataTypes.StringType, false),
        field(STEP, DataTypes.LongType, false),
        field(SPLIT, DataTypes.StringType, false),
        field(METRIC, DataTypes.StringType, false),
        field(ESTIMATOR_K, DataTypes.IntegerType, false),
        field(MEAN, DataTypes.DoubleType, false),
        field(STDERR, DataTypes.DoubleType, false),
        field(N, DataTypes.LongType, false),
        field(SEED, DataTypes.LongType, false),
        field(MODEL, DataTypes.StringType, false),
        field(PARAMETERS, DataTypes.LongType, false),
        field(EXAMPLES_SEEN, DataTypes.LongType, false),
        field(TRAIN_WALL_SECONDS, DataTypes.DoubleType, true),
        field(EVAL_WALL_SECONDS, DataTypes.DoubleType, false),
        field(EVALUATED_AT, DataTypes.StringType, false),
        field(BITS_PER_DIM, DataTypes.DoubleType, true),
        field(NOTE, DataTypes.StringType, true),
        field(EXECUTOR, DataTypes.StringType, true),
        field(SELECTION, DataTypes.StringType, true),
    });

    /** Column names in schema order. */
    public static final List<String> COLUMNS = List.of(SCHEMA.fieldNames());

    /**
     * The estimator as the leaderboard names it: "IWAE-5000" (Burda et al. 2016), "ELBO" for a
     * single-sample ELBO, "ELBO (100 samples)" otherwise. A null k (published rows that do not
     * state it) gives the bare name.
     */
    public static String estimatorLabel(String metric, Integer k) {
        if (METRIC_IWAE.equals(metric)) {
            return k == null ? "IWAE" : "IWAE-" + k;
        }
        if (METRIC_ELBO.equals(metric)) {
            return k == null || k == 1 ? "ELBO" : "ELBO (" + k + " samples)";
        }
        throw new IllegalArgumentException("unknown metric '" + metric + "'; allowed: " + METRICS);
    }

    private static StructField field(String name, DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }
}
