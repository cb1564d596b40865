package org.vaespark.jobs.eval;

import java.io.Serializable;

/**
 * One summary figure of an evaluation, before it becomes a results-table row: a named metric
 * with its mean, standard error, the number of examples it averages and the number of samples
 * per example. A metric that could not be computed has a null mean and says why in
 * {@code note}; it is never written as a number. {@code note} also states how a computed value
 * was obtained where that matters (e.g. which bits/dim formula applies).
 *
 * @param metric name, e.g. "iwae", "bpd", "mutual_information"
 * @param mean   the value; null when not computed
 * @param stderr standard error of the mean; null when not meaningful (a single figure)
 * @param n      examples the figure is computed from (0 when not computed)
 * @param k      importance / Monte-Carlo samples per example; null when none
 * @param note   how it was computed, or why it is absent; null when nothing needs saying
 */
public record MetricValue(String metric, Double mean, Double stderr, long n, Integer k, String note) implements Serializable {

    public MetricValue {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("a metric needs a name");
        }
        if (mean == null && (note == null || note.isBlank())) {
            throw new IllegalArgumentException("metric '" + metric + "' is absent: say why in its note");
        }
        if (mean != null && !Double.isFinite(mean)) {
            throw new IllegalArgumentException("metric '" + metric + "' is not finite (" + mean + "): report it absent with a reason");
        }
    }

    /** A computed figure. */
    public static MetricValue of(String metric, double mean, Double stderr, long n, Integer k, String note) {
        return new MetricValue(metric, mean, stderr, n, k, note);
    }

    /** A figure that was not computed, with the reason. */
    public static MetricValue absent(String metric, String reason) {
        return new MetricValue(metric, null, null, 0, null, reason);
    }

    public boolean present() {
        return mean != null;
    }
}
