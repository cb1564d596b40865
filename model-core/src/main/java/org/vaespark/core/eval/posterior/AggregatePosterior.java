package org.vaespark.core.eval.posterior;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.train.NativeMemory;

/**
 * The aggregated posterior q(z) = (1/M) sum_m N(z; mu_m, diag sigma_m^2) over M stored encoder
 * moments ("ELBO surgery", Hoffman &amp; Johnson 2016), evaluated in double precision for blocks of
 * query points. The quadratic form is expanded,
 * sum_j (z_j - mu_mj)^2 / sigma_mj^2 = sum_j z_j^2 / sigma_mj^2 - 2 z_j mu_mj / sigma_mj^2 + mu_mj^2 / sigma_mj^2,
 * so a block of n queries costs one [n, 2d] x [2d, M] matrix product; the log-normaliser of each
 * component is added afterwards and the mean over m is a max-shifted log-sum-exp.
 */
public final class AggregatePosterior {
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final int BLOCK = 256;

    private final int components;
    private final int dim;
    /** [2d, M], column-major per component: rows 0..d-1 hold 1/sigma^2, rows d..2d-1 hold -2 mu/sigma^2. */
    private final double[] coefficients;
    /** Per component: -1/2 (sum_j mu_j^2/sigma_j^2 + sum_j log sigma_j^2 + d log 2 pi). */
    private final double[] offsets;

    /**
     * @param means   mu_m, [M][d]
     * @param logvars log sigma_m^2, [M][d]
     */
    public AggregatePosterior(double[][] means, double[][] logvars) {
        if (means.length == 0 || means.length != logvars.length) {
            throw new IllegalArgumentException("need M > 0 means and as many log-variances, got " + means.length + " and " + logvars.length);
        }
        this.components = means.length;
        this.dim = means[0].length;
        this.coefficients = new double[2 * dim * components];
        this.offsets = new double[components];
        for (int m = 0; m < components; m++) {
            if (means[m].length != dim || logvars[m].length != dim) {
                throw new IllegalArgumentException("component " + m + ": expected " + dim + " dimensions, found "
                        + means[m].length + " and " + logvars[m].length);
            }
            double quadratic = 0;
            double logDet = 0;
            for (int j = 0; j < dim; j++) {
                double precision = Math.exp(-logvars[m][j]);
                coefficients[j * components + m] = precision;
                coefficients[(dim + j) * components + m] = -2 * means[m][j] * precision;
                quadratic += means[m][j] * means[m][j] * precision;
                logDet += logvars[m][j];
            }
            offsets[m] = -0.5 * (quadratic + logDet + dim * LOG_2PI);
        }
    }

    public int components() {
        return components;
    }

    public int dim() {
        return dim;
    }

    /** log q(z_n) for each query point z_n, [n][d]. */
    public double[] logDensity(double[][] z) {
        double[] out = new double[z.length];
        INDArray weights = Nd4j.create(coefficients, new long[]{2L * dim, components}, 'c');
        double[] row = new double[components];
        for (int start = 0; start < z.length; start += BLOCK) {
            int n = Math.min(BLOCK, z.length - start);
            double[] features = new double[n * 2 * dim];
            for (int i = 0; i < n; i++) {
                double[] zi = z[start + i];
                if (zi.length != dim) {
                    throw new IllegalArgumentException("query " + (start + i) + ": expected " + dim + " dimensions, found " + zi.length);
                }
                for (int j = 0; j < dim; j++) {
                    features[i * 2 * dim + j] = zi[j] * zi[j];
                    features[i * 2 * dim + dim + j] = zi[j];
                }
            }
            INDArray q = Nd4j.create(features, new long[]{n, 2L * dim}, 'c');
            INDArray product = q.mmul(weights);
            double[] quad = product.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            NativeMemory.release(q, product);
            for (int i = 0; i < n; i++) {
                System.arraycopy(quad, i * components, row, 0, components);
                out[start + i] = logMeanExp(row);
            }
        }
        NativeMemory.release(weights);
        return out;
    }

    /** log (1/M) sum_m exp(offset_m - quad_m / 2), with the maximum shifted out. */
    private double logMeanExp(double[] quad) {
        double max = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < components; m++) {
            quad[m] = offsets[m] - 0.5 * quad[m];
            max = Math.max(max, quad[m]);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            return max;
        }
        double sum = 0;
        for (int m = 0; m < components; m++) {
            sum += Math.exp(quad[m] - max);
        }
        return max + Math.log(sum) - Math.log(components);
    }

    /** log N(z; mean, diag exp(logvar)) with all constants, directly. */
    public static double logNormal(double[] z, double[] mean, double[] logvar) {
        double s = 0;
        for (int j = 0; j < z.length; j++) {
            double diff = z[j] - mean[j];
            s += diff * diff * Math.exp(-logvar[j]) + logvar[j] + LOG_2PI;
        }
        return -0.5 * s;
    }
}
