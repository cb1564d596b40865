package org.vaespark.jobs.leaderboard;

import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.eval.ExampleSubset;

/**
 * One row of the results table ({@link ResultSchema}): the summary of one evaluation of one
 * checkpoint on one split with one estimator. {@code mean} is the mean log-likelihood estimate
 * in nats (IWAE-k of Burda et al. 2016, or the ELBO), so NLL = {@link #nll()} = −mean; {@code
 * stderr} is its standard error over the {@code n} examples (NaN where undefined, e.g. n = 1).
 * {@code selection} says how those examples were chosen: {@code all} of the split, or a
 * {@link org.vaespark.core.eval.ExampleSubset} ({@code hash-subset n=1000 seed=21}); null in rows
 * written before it was recorded.
 *
 * <p>The constructor rejects values that cannot be right (an unknown metric, k &lt; 1, an MNIST
 * result without binarization, a non-finite mean, a timestamp that is not ISO-8601) with an
 * {@link IllegalArgumentException}; {@link #fromRow(Row)} turns the same failures in a stored
 * table into a {@link org.vaespark.core.errors.VaeException}.
 */
public record ResultRow(
        String dataset,
        String binarization,
        String datasetVersion,
        String run,
        String checkpoint,
        long step,
        String split,
        String metric,
        int estimatorK,
        double mean,
        double stderr,
        long n,
        long seed,
        String model,
        long parameters,
        long examplesSeen,
        Double trainWallSeconds,
        double evalWallSeconds,
        String evaluatedAt,
        Double bitsPerDim,
        String note,
        String executor,
        String selection) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * The identity of an evaluation; several rows with one key are re-runs of the same evaluation. The
     * selection is part of it, so a later run on a subset never hides the whole-split result.
     */
    public record Key(String run, String checkpoint, String split, String metric, int estimatorK, String selection)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    public ResultRow {
        required(ResultSchema.DATASET, dataset);
        required(ResultSchema.RUN, run);
        required(ResultSchema.CHECKPOINT, checkpoint);
        required(ResultSchema.SPLIT, split);
        required(ResultSchema.METRIC, metric);
        required(ResultSchema.MODEL, model);
        required(ResultSchema.EVALUATED_AT, evaluatedAt);
        check(binarization == null || ResultSchema.BINARIZATIONS.contains(binarization),
                ResultSchema.BINARIZATION, binarization, "one of " + ResultSchema.BINARIZATIONS + " or null");
        check(datasetVersion == null || !datasetVersion.isBlank(),
                ResultSchema.DATASET_VERSION, datasetVersion, "a non-blank version or null");
        String missing = Benchmark.missingQualifier(dataset, binarization, datasetVersion);
        if (missing != null) {
            throw new IllegalArgumentException(missing + " (dataset '" + dataset + "')");
        }
        check(ResultSchema.METRICS.contains(metric), ResultSchema.METRIC, metric, "one of " + ResultSchema.METRICS);
        check(estimatorK >= 1, ResultSchema.ESTIMATOR_K, estimatorK, "k >= 1");
        check(step >= 0, ResultSchema.STEP, step, "a step >= 0");
        check(Double.isFinite(mean), ResultSchema.MEAN, mean, "a finite mean log-likelihood in nats");
        check(Double.isNaN(stderr) || (stderr >= 0 && stderr < Double.POSITIVE_INFINITY),
                ResultSchema.STDERR, stderr, "a finite standard error >= 0, or NaN where undefined");
        check(n >= 1, ResultSchema.N, n, "at least one example");
        check(parameters >= 1, ResultSchema.PARAMETERS, parameters, "the model's parameter count (>= 1)");
        check(examplesSeen >= 0, ResultSchema.EXAMPLES_SEEN, examplesSeen, "a count >= 0");
        check(trainWallSeconds == null || (trainWallSeconds >= 0 && Double.isFinite(trainWallSeconds)),
                ResultSchema.TRAIN_WALL_SECONDS, trainWallSeconds, "seconds >= 0, or null when unknown");
        check(evalWallSeconds >= 0 && Double.isFinite(evalWallSeconds),
                ResultSchema.EVAL_WALL_SECONDS, evalWallSeconds, "seconds >= 0");
        parseInstant(evaluatedAt);
        check(bitsPerDim == null || (Double.isFinite(bitsPerDim) && bitsPerDim > 0), ResultSchema.BITS_PER_DIM, bitsPerDim,
                "a finite positive bits/dim, or null with the reason in " + ResultSchema.NOTE);
        check(executor == null || !executor.isBlank(), ResultSchema.EXECUTOR, executor, "the executor's name (cpu, graph) or null");
        check(selection == null || !selection.isBlank(), ResultSchema.SELECTION, selection,
                "all, hash-subset n=<N> seed=<seed>, or null where not recorded");
    }

    /** A row without the selection (rows written before it was recorded read back this way). */
    public ResultRow(String dataset, String binarization, String datasetVersion, String run, String checkpoint, long step,
                     String split, String metric, int estimatorK, double mean, double stderr, long n, long seed, String model,
                     long parameters, long examplesSeen, Double trainWallSeconds, double evalWallSeconds, String evaluatedAt,
                     Double bitsPerDim, String note, String executor) {
        this(dataset, binarization, datasetVersion, run, checkpoint, step, split, metric, estimatorK, mean, stderr, n, seed,
                model, parameters, examplesSeen, trainWallSeconds, evalWallSeconds, evaluatedAt, bitsPerDim, note, executor, null);
    }

    /** A row without the executor (rows written before it was recorded read back this way). */
    public ResultRow(String dataset, String binarization, String datasetVersion, String run, String checkpoint, long step,
                     String split, String metric, int estimatorK, double mean, double stderr, long n, long seed, String model,
                     long parameters, long examplesSeen, Double trainWallSeconds, double evalWallSeconds, String evaluatedAt,
                     Double bitsPerDim, String note) {
        this(dataset, binarization, datasetVersion, run, checkpoint, step, split, metric, estimatorK, mean, stderr, n, seed,
                model, parameters, examplesSeen, trainWallSeconds, evalWallSeconds, evaluatedAt, bitsPerDim, note, null, null);
    }

    /** A row without bits/dim or note (rows written before they existed read back this way). */
    public ResultRow(String dataset, String binarization, String datasetVersion, String run, String checkpoint, long step,
                     String split, String metric, int estimatorK, double mean, double stderr, long n, long seed, String model,
                     long parameters, long examplesSeen, Double trainWallSeconds, double evalWallSeconds, String evaluatedAt) {
        this(dataset, binarization, datasetVersion, run, checkpoint, step, split, metric, estimatorK, mean, stderr, n, seed,
                model, parameters, examplesSeen, trainWallSeconds, evalWallSeconds, evaluatedAt, null, null, null, null);
    }

    /** True when the row is known to cover only part of its split (a hash subset); false for all and for rows that predate the column. */
    public boolean partial() {
        return selection != null && !selection.equals(ExampleSubset.ALL);
    }

    /** The negative log-likelihood estimate in nats, −{@code mean}; lower is better. */
    public double nll() {
        return -mean;
    }

    /** {@code evaluated_at} as an instant. */
    public Instant evaluatedInstant() {
        return parseInstant(evaluatedAt);
    }

    public Key key() {
        return new Key(run, checkpoint, split, metric, estimatorK, selection);
    }

    public Benchmark benchmark() {
        return Benchmark.of(dataset, binarization, datasetVersion);
    }

    /** "IWAE-5000", "ELBO", "ELBO (100 samples)". */
    public String estimatorLabel() {
        return ResultSchema.estimatorLabel(metric, estimatorK);
    }

    /** The Spark row, values in {@link ResultSchema#SCHEMA} order. */
    public Row toRow() {
        return RowFactory.create(dataset, binarization, datasetVersion, run, checkpoint, step, split, metric,
                estimatorK, mean, stderr, n, seed, model, parameters, examplesSeen, trainWallSeconds,
                evalWallSeconds, evaluatedAt, bitsPerDim, note, executor, selection);
    }

    /**
     * Reads a row of the results table: by column name where the row carries a schema (rows
     * of a DataFrame, whatever the column order), else by position in {@link ResultSchema#SCHEMA}.
     */
    public static ResultRow fromRow(Row row) {
        RowReader r = new RowReader(row);
        try {
            return new ResultRow(
                    r.string(ResultSchema.DATASET), r.string(ResultSchema.BINARIZATION),
                    r.string(ResultSchema.DATASET_VERSION), r.string(ResultSchema.RUN),
                    r.string(ResultSchema.CHECKPOINT), r.longValue(ResultSchema.STEP),
                    r.string(ResultSchema.SPLIT), r.string(ResultSchema.METRIC),
                    Math.toIntExact(r.longValue(ResultSchema.ESTIMATOR_K)), r.doubleValue(ResultSchema.MEAN),
                    r.doubleValue(ResultSchema.STDERR), r.longValue(ResultSchema.N),
                    r.longValue(ResultSchema.SEED), r.string(ResultSchema.MODEL),
                    r.longValue(ResultSchema.PARAMETERS), r.longValue(ResultSchema.EXAMPLES_SEEN),
                    r.nullableDouble(ResultSchema.TRAIN_WALL_SECONDS), r.doubleValue(ResultSchema.EVAL_WALL_SECONDS),
                    r.string(ResultSchema.EVALUATED_AT), r.nullableDouble(ResultSchema.BITS_PER_DIM),
                    r.string(ResultSchema.NOTE), r.optionalString(ResultSchema.EXECUTOR),
                    r.optionalString(ResultSchema.SELECTION));
        } catch (IllegalArgumentException | ArithmeticException | ClassCastException e) {
            throw Errors.corruptFile("results table", r.describe(), "invalid result row: " + e.getMessage(),
                    "rewrite the row with EvaluateJob; the schema is defined in ResultSchema", e);
        }
    }

    private static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid value '" + text + "' for " + ResultSchema.EVALUATED_AT
                    + "; use an ISO-8601 date-time with offset, e.g. 2024-05-01T10:15:30Z", e);
        }
    }

    private static void required(String column, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing value for " + column + "; it is required");
        }
    }

    private static void check(boolean ok, String column, Object value, String allowed) {
        if (!ok) {
            String shown = value instanceof String ? "'" + value + "'" : String.valueOf(value);
            throw new IllegalArgumentException("invalid value " + shown + " for " + column + "; use " + allowed);
        }
    }
}
