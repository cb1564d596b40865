package org.vaespark.core.model.objective;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.vaespark.core.model.MmdKernel;

/**
 * The biased (V-statistic) estimate of the squared maximum mean discrepancy between two sample
 * sets, as InfoVAE uses it (Zhao et al. 2019; Gretton et al. 2012, eq. 5):
 * MMD^2 = mean_ij k(a_i, a_j) + mean_ij k(b_i, b_j) - 2 mean_ij k(a_i, b_j), diagonal terms
 * included, so it is >= 0 and exactly 0 for identical sets. Squared distances come from GEMMs:
 * |a - b|^2 = |a|^2 + |b|^2 - 2 a b^T.
 */
public final class Mmd {
    private Mmd() {
    }

    /**
     * @param a      samples [n, d]
     * @param b      samples [m, d]
     * @param d      the dimension (static)
     * @param kernel Gaussian exp(-|a - b|^2 / (2 d s^2)) or IMQ C / (C + |a - b|^2), C = 2 d s^2
     * @param scale  the kernel scale s
     * @return the scalar MMD^2 estimate
     */
    public static SDVariable biased(SameDiff sd, SDVariable a, SDVariable b, int d, MmdKernel kernel, double scale) {
        double c = 2.0 * d * scale * scale;
        return meanKernel(sd, a, a, d, kernel, c).add(meanKernel(sd, b, b, d, kernel, c))
                .sub(meanKernel(sd, a, b, d, kernel, c).mul(2.0));
    }

    private static SDVariable meanKernel(SameDiff sd, SDVariable a, SDVariable b, int d, MmdKernel kernel, double c) {
        SDVariable dist = squaredNorms(sd, a, d).add(sd.transpose(squaredNorms(sd, b, d)))
                .sub(a.mmul(sd.transpose(b)).mul(2.0));                                  // [n, m]
        SDVariable k = kernel == MmdKernel.GAUSSIAN
                ? sd.math.exp(dist.div(-c))
                : sd.math.reciprocal(dist.div(c).add(1.0));                              // C / (C + r) = 1 / (1 + r / C)
        return k.mean();
    }

    /** Row norms |v_i|^2 as [n, 1]; no reduction over a length-1 axis when d = 1. */
    private static SDVariable squaredNorms(SameDiff sd, SDVariable v, int d) {
        SDVariable sq = v.mul(v);
        return d == 1 ? sq : sd.sum(sq, true, 1);
    }
}
