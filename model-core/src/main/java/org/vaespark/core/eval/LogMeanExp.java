package org.vaespark.core.eval;

/**
 * A streaming log-mean-exp in double precision with a running maximum: add log-weights one
 * at a time, in any number of chunks, and read log((1/n) sum exp(a_i)) at the end without
 * overflow. The IWAE estimator keeps one per example (docs/math.md, Evaluation protocol).
 */
public final class LogMeanExp {
    private double max = Double.NEGATIVE_INFINITY;
    private double scaledSum;
    private long count;
    private double plainSum;

    public void add(double a) {
        count++;
        plainSum += a;
        if (Double.isNaN(a)) {
            max = Double.NaN;
            return;
        }
        if (a <= max) {
            scaledSum += Math.exp(a - max);
        } else {
            scaledSum = scaledSum * Math.exp(max - a) + 1.0;
            max = a;
        }
    }

    /** log((1/n) sum exp(a_i)); NaN if any a_i was NaN or none was added. */
    public double value() {
        if (count == 0 || Double.isNaN(max)) {
            return Double.NaN;
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        return max + Math.log(scaledSum) - Math.log(count);
    }

    /** The arithmetic mean of the a_i. */
    public double mean() {
        return count == 0 ? Double.NaN : plainSum / count;
    }

    public long count() {
        return count;
    }
}
