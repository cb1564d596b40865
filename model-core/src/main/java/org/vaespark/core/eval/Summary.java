package org.vaespark.core.eval;

/**
 * Mean and standard error of a per-example metric over a split (standard error = sample
 * standard deviation / sqrt(n)), accumulated with Welford's update so partial summaries from
 * Spark partitions merge exactly (Chan et al. 1979).
 */
public final class Summary implements java.io.Serializable {
    private long n;
    private double mean;
    private double m2;

    public Summary add(double x) {
        n++;
        double delta = x - mean;
        mean += delta / n;
        m2 += delta * (x - mean);
        return this;
    }

    public Summary merge(Summary o) {
        if (o.n == 0) {
            return this;
        }
        if (n == 0) {
            n = o.n;
            mean = o.mean;
            m2 = o.m2;
            return this;
        }
        long total = n + o.n;
        double delta = o.mean - mean;
        mean += delta * o.n / total;
        m2 += o.m2 + delta * delta * n * o.n / total;
        n = total;
        return this;
    }

    public long n() {
        return n;
    }

    /** The mean; NaN when empty. */
    public double mean() {
        return n == 0 ? Double.NaN : mean;
    }

    /** The standard error of the mean; NaN with fewer than two values. */
    public double standardError() {
        return n < 2 ? Double.NaN : Math.sqrt(m2 / (n - 1) / n);
    }
}
