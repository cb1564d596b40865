package org.vaespark.core.model.prior;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.vaespark.core.model.graph.Graph;

/**
 * log p(z) of an equally weighted mixture of K diagonal Gaussians, p(z) = (1/K) sum_k
 * N(z; mu_k, diag sigma_k^2): the density of both the mixture-of-Gaussians prior and the
 * VampPrior (Tomczak &amp; Welling 2018, eq. 9). Every constant is kept.
 *
 * <p>All N x K component log-densities come from one GEMM. Expanding the square,
 * log N(z; mu_k, sigma_k^2) = -1/2 [z^2 . (1/sigma_k^2) - 2 z . (mu_k/sigma_k^2)
 * + sum_j mu_kj^2/sigma_kj^2 + sum_j log sigma_kj^2] - (d/2) log 2 pi, so
 * [z^2, z] [N, 2d] times [1/sigma^2, -2 mu/sigma^2]^T [2d, K] gives the data-dependent part.
 * The sum over components is a max-shifted log-sum-exp, m + log sum_k exp(l_k - m), whose
 * gradient is exact (SameDiff's own logSumExp backprop is not trusted here).
 */
public final class DiagonalGaussianMixture {
    private DiagonalGaussianMixture() {
    }

    /**
     * @param z       samples [S, B, d]
     * @param means   component means [K, d]
     * @param logvars component log-variances [K, d]
     * @return log p(z) [S, B]
     */
    public static SDVariable logDensity(Graph g, SDVariable z, SDVariable means, SDVariable logvars, int d, int k) {
        SDVariable logN = componentLogDensities(g, g.flattenSamples(z, d), means, logvars, d);   // [N, K]
        SDVariable lse = logSumExpRows(g.sd(), logN, k).sub(Math.log(k));                     // [N, 1]
        return g.sd().squeeze(g.unflattenSamples(lse, 1), 2);
    }

    /** log N(z_n; mu_k, diag exp(logvar_k)) for every row n of z [N, d] and component k: [N, K]. */
    public static SDVariable componentLogDensities(Graph g, SDVariable z, SDVariable means, SDVariable logvars, int d) {
        SameDiff sd = g.sd();
        SDVariable precision = sd.math.exp(logvars.neg());                                    // [K, d]
        SDVariable scaledMeans = means.mul(precision);                                        // [K, d]
        SDVariable rows = sd.concat(1, z.mul(z), z);                                          // [N, 2d]
        SDVariable cols = sd.concat(1, precision, scaledMeans.mul(-2.0));                     // [K, 2d]
        SDVariable quadratic = rows.mmul(sd.transpose(cols));                                 // [N, K]
        SDVariable perComponent = g.sumLast(scaledMeans.mul(means).add(logvars), 1, d);       // [K]
        return quadratic.add(perComponent).mul(-0.5).sub(d * Graph.HALF_LOG_2PI);
    }

    /** log sum_k exp(v[n, k]) over the K columns of v [N, K], as m + log sum exp(v - m): [N, 1]. */
    static SDVariable logSumExpRows(SameDiff sd, SDVariable v, int k) {
        if (k == 1) {
            return v;   // a reduction over an axis of length 1 fails in SameDiff M2.1
        }
        SDVariable m = sd.max(v, true, 1);
        return sd.math.log(sd.math.exp(v.sub(m)).sum(true, 1)).add(m);
    }
}
