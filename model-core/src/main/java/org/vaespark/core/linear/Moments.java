package org.vaespark.core.linear;

/**
 * The sufficient statistics of a data set for every linear-Gaussian quantity here: the example
 * count N, the mean x̄ and the maximum-likelihood covariance S = (1/N) Σ (x − x̄)(x − x̄)ᵀ (divisor N,
 * not N − 1: Tipping &amp; Bishop 1999's S). The mean log p(x) of a Gaussian model and the mean ELBO of a
 * linear VAE over the data are functions of these alone.
 */
public record Moments(long count, double[] mean, double[][] covariance) {
    public Moments {
        if (count < 2) {
            throw new IllegalArgumentException("need at least 2 examples for a covariance, found " + count);
        }
        if (covariance.length != mean.length || covariance[0].length != mean.length) {
            throw new IllegalArgumentException("covariance must be " + mean.length + " x " + mean.length + ", found "
                    + covariance.length + " x " + covariance[0].length);
        }
    }

    /** From a sample covariance with divisor N − 1 (MLlib's {@code RowMatrix.computeCovariance}). */
    public static Moments fromSampleCovariance(long count, double[] mean, double[][] unbiased) {
        double scale = (count - 1.0) / count;
        double[][] s = new double[unbiased.length][unbiased.length];
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                s[i][j] = unbiased[i][j] * scale;
            }
        }
        return new Moments(count, mean.clone(), s);
    }

    /** Moments of the rows of {@code x} (n x D), computed directly (tests and small data). */
    public static Moments of(double[][] x) {
        int n = x.length;
        int dim = x[0].length;
        double[] mean = new double[dim];
        for (double[] row : x) {
            for (int j = 0; j < dim; j++) {
                mean[j] += row[j] / n;
            }
        }
        double[][] s = new double[dim][dim];
        for (double[] row : x) {
            for (int i = 0; i < dim; i++) {
                double ci = row[i] - mean[i];
                for (int j = 0; j < dim; j++) {
                    s[i][j] += ci * (row[j] - mean[j]) / n;
                }
            }
        }
        return new Moments(n, mean, s);
    }

    public int dimension() {
        return mean.length;
    }

    /** tr S: the total variance, which PPCA's noise variance needs beyond the top d eigenvalues. */
    public double totalVariance() {
        return Dense.trace(covariance);
    }
}
