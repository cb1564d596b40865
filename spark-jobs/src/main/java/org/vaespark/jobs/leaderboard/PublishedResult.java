package org.vaespark.jobs.leaderboard;

import java.math.BigDecimal;
import java.util.List;

/**
 * A number from the literature, shown in the leaderboard's "reported" rows exactly as published
 * and never re-run here. The list lives in {@code leaderboard/published.csv}, a transcription of
 * docs/math.md's "Published reference numbers", read by {@link PublishedResults}.
 *
 * <p>MNIST rows are test NLL in nats estimated with IWAE-5000 (Burda et al. 2016) unless the
 * source says otherwise; a training-objective k (e.g. "IWAE k=50") is part of the model name, not
 * the estimator. Bits/dim rows keep what the source states: {@code estimator} "elbo" where it is
 * an ELBO bound, null where the source does not say, and {@code bound} {@link #UPPER} where the
 * number is printed with "≤".
 *
 * @param model          model as the source names it
 * @param dataset        dataset name, as in the results table ({@link Benchmark})
 * @param binarization   static | dynamic for MNIST, else null
 * @param datasetVersion e.g. {@value Benchmark#IMAGENET64_VAN_DEN_OORD}, else null
 * @param estimator      {@value ResultSchema#METRIC_IWAE} | {@value ResultSchema#METRIC_ELBO}, or null when not stated
 * @param estimatorK     k of IWAE-k, or null when not stated
 * @param bound          {@link #UPPER} when printed as "≤ value", else null
 * @param value          the published number, with its printed decimals
 * @param unit           {@link #NATS} | {@link #BITS_PER_DIM}
 * @param source         citation, e.g. "Burda et al. 2016, Table 1"
 */
public record PublishedResult(
        String model,
        String dataset,
        String binarization,
        String datasetVersion,
        String estimator,
        Integer estimatorK,
        String bound,
        BigDecimal value,
        String unit,
        String source) {

    public static final String NATS = "nats";
    public static final String BITS_PER_DIM = "bits/dim";
    public static final String UPPER = "upper";
    public static final List<String> UNITS = List.of(NATS, BITS_PER_DIM);

    public PublishedResult {
        required("model", model);
        required("dataset", dataset);
        required("value", value);
        required("unit", unit);
        required("source", source);
        if (binarization != null && !ResultSchema.BINARIZATIONS.contains(binarization)) {
            throw new IllegalArgumentException("binarization '" + binarization + "' is not one of "
                    + ResultSchema.BINARIZATIONS + " (leave it empty for datasets that are not MNIST)");
        }
        String missing = Benchmark.missingQualifier(dataset, binarization, datasetVersion);
        if (missing != null) {
            throw new IllegalArgumentException(missing);
        }
        if (estimator != null && !ResultSchema.METRICS.contains(estimator)) {
            throw new IllegalArgumentException("estimator '" + estimator + "' is not one of " + ResultSchema.METRICS
                    + " (leave it empty when the source does not state it)");
        }
        if (estimatorK != null && (estimator == null || estimatorK < 1)) {
            throw new IllegalArgumentException("estimator_k " + estimatorK + " needs an estimator and k >= 1");
        }
        if (bound != null && !UPPER.equals(bound)) {
            throw new IllegalArgumentException("bound '" + bound + "' is not '" + UPPER
                    + "' (leave it empty unless the source prints ≤)");
        }
        if (value.signum() <= 0) {
            throw new IllegalArgumentException("value " + value.toPlainString()
                    + " is not a positive NLL; write NLL in nats or bits/dim as published");
        }
        if (!UNITS.contains(unit)) {
            throw new IllegalArgumentException("unit '" + unit + "' is not one of " + UNITS);
        }
    }

    public Benchmark benchmark() {
        return Benchmark.of(dataset, binarization, datasetVersion);
    }

    /** "IWAE-5000", "ELBO", or null when the source does not state the estimator. */
    public String estimatorLabel() {
        return estimator == null ? null : ResultSchema.estimatorLabel(estimator, estimatorK);
    }

    public boolean isUpperBound() {
        return UPPER.equals(bound);
    }

    private static void required(String column, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new IllegalArgumentException("missing value for " + column + "; it is required");
        }
    }
}
