package org.vaespark.core.eval.posterior;

import java.io.Serializable;
import org.vaespark.core.errors.Errors;

/**
 * A Gaussian mixture with full covariances, p(z) = sum_k pi_k N(z; m_k, C_k), as fitted by Spark
 * MLlib's GaussianMixture, used as a prior fitted post hoc to a trained encoder (the aggregated
 * posterior is the optimal prior, Hoffman &amp; Johnson 2016). Each covariance is factorised once,
 * C_k = L_k L_k^T (Cholesky); then log N(z; m, C) = -1/2 (d log 2 pi + 2 sum_j log L_jj + |L^-1 (z - m)|^2),
 * and the mixture is a max-shifted log-sum-exp over log pi_k + log N_k, all in double precision.
 */
public final class GaussianMixtureDensity implements Serializable {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final double[] logWeights;
    private final double[][] means;
    /** Lower-triangular Cholesky factors, [K][d][d]. */
    private final double[][][] factors;
    /** Per component: log pi_k - 1/2 (d log 2 pi + log det C_k). */
    private final double[] constants;

    /**
     * @param weights     mixing weights pi_k (positive, summing to 1)
     * @param means       m_k, [K][d]
     * @param covariances C_k, [K][d][d], symmetric positive definite
     */
    public GaussianMixtureDensity(double[] weights, double[][] means, double[][][] covariances) {
        int k = weights.length;
        if (k == 0 || means.length != k || covariances.length != k) {
            throw new IllegalArgumentException("need K > 0 weights, means and covariances, got " + k + ", " + means.length
                    + " and " + covariances.length);
        }
        double total = 0;
        for (double w : weights) {
            if (!(w > 0)) {
                throw new IllegalArgumentException("mixing weights must be > 0, found " + w);
            }
            total += w;
        }
        if (Math.abs(total - 1) > 1e-6) {
            throw new IllegalArgumentException("mixing weights must sum to 1, found " + total);
        }
        int d = means[0].length;
        this.logWeights = new double[k];
        this.means = new double[k][];
        this.factors = new double[k][][];
        this.constants = new double[k];
        for (int c = 0; c < k; c++) {
            if (means[c].length != d || covariances[c].length != d) {
                throw new IllegalArgumentException("component " + c + ": expected dimension " + d);
            }
            this.logWeights[c] = Math.log(weights[c]);
            this.means[c] = means[c].clone();
            this.factors[c] = cholesky(covariances[c], c);
            double logDet = 0;
            for (int j = 0; j < d; j++) {
                logDet += 2 * Math.log(factors[c][j][j]);
            }
            constants[c] = logWeights[c] - 0.5 * (d * LOG_2PI + logDet);
        }
    }

    public int components() {
        return logWeights.length;
    }

    public int dim() {
        return means[0].length;
    }

    /** log p(z) with every constant. */
    public double logDensity(double[] z) {
        int d = dim();
        if (z.length != d) {
            throw new IllegalArgumentException("expected a point of dimension " + d + ", found " + z.length);
        }
        double[] terms = new double[components()];
        double[] y = new double[d];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < terms.length; c++) {
            double[][] l = factors[c];
            double norm = 0;
            for (int i = 0; i < d; i++) {
                double s = z[i] - means[c][i];
                for (int j = 0; j < i; j++) {
                    s -= l[i][j] * y[j];
                }
                y[i] = s / l[i][i];
                norm += y[i] * y[i];
            }
            terms[c] = constants[c] - 0.5 * norm;
            max = Math.max(max, terms[c]);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            return max;
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return max + Math.log(sum);
    }

    /**
     * The same mixture with {@code diagonal} added to every covariance: convolving each component
     * with N(0, diag(diagonal)).
     */
    public GaussianMixtureDensity withAddedDiagonal(double[] diagonal) {
        int k = components();
        int d = dim();
        double[] weights = new double[k];
        double[][][] covariances = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            weights[c] = Math.exp(logWeights[c]);
            double[][] l = factors[c];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = 0;
                    for (int t = 0; t <= j; t++) {
                        s += l[i][t] * l[j][t];
                    }
                    covariances[c][i][j] = s;
                    covariances[c][j][i] = s;
                }
                covariances[c][i][i] += diagonal[i];
            }
        }
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        for (int c = 0; c < k; c++) {
            weights[c] /= total;
        }
        return new GaussianMixtureDensity(weights, means, covariances);
    }

    /** The lower-triangular L with a = L L^T (Cholesky-Banachiewicz); a must be symmetric positive definite. */
    static double[][] cholesky(double[][] a, int component) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            if (a[i].length != d) {
                throw new IllegalArgumentException("covariance " + component + " is not square");
            }
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int t = 0; t < j; t++) {
                    s -= l[i][t] * l[j][t];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw Errors.numericalFailure("Gaussian mixture component " + component,
                                "its covariance is not positive definite (pivot " + s + " at row " + i + ")",
                                "fit fewer components (eval.posterior.gmm-components) or use more examples");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }
}
