package org.vaespark.core.model.objective;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The IWAE-k bound (Burda et al. 2016): L_k(x) = log (1/k) sum_i w_i with
 * log w_i = log p(x|z_i) + log p(z_i) - log q(z_i|x), k = S, the samples of the noise.
 *
 * <p>S is dynamic (the noise placeholder), and SameDiff M2.1 fails on a reduction over an axis
 * of length 1. So the samples axis is padded with one row of {@link #SENTINEL} before reducing:
 * the reduced axis has length S + 1 >= 2 for every S, and exp(SENTINEL - max) is exactly 0, so
 * the sum is unchanged. The log-sum-exp is written m + log sum exp(v - m) with m the max (its
 * gradient through m cancels); SameDiff's own logSumExp is not used.
 */
public final class Iwae {
    /** A log-weight far below any real one; finite in float, its exponential underflows to 0. */
    static final double SENTINEL = -1e30;

    private Iwae() {
    }

    /** log (1/S) sum_s exp(v_sb) over the samples axis: [S, B] to [B], for every S >= 1. */
    public static SDVariable logMeanExp(SameDiff sd, SDVariable logW) {
        SDVariable firstRow = sd.slice(logW, new int[]{0, 0}, 1, -1);
        SDVariable padded = sd.concat(0, logW, sd.zerosLike(firstRow).add(SENTINEL));   // [S + 1, B]
        SDVariable m = padded.max(0);                                                  // [B]
        SDVariable sum = sd.math.exp(padded.sub(m)).sum(0);
        SDVariable samples = sd.onesLike(padded).sum(0).sub(1.0);                      // S, as [B]
        return m.add(sd.math.log(sum)).sub(sd.math.log(samples));
    }

    /** The loss -mean_b L_S(x_b), a scalar. */
    public static SDVariable loss(SameDiff sd, Terms t) {
        SDVariable logW = t.logPx().add(t.logPz()).sub(t.logQz());
        return logMeanExp(sd, logW).mean().neg();
    }
}
