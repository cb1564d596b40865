package org.vaespark.core.eval;

import java.io.Serializable;

/**
 * One test example imputed by pseudo-Gibbs (Rezende et al. 2014) and by non-amortized inference (Agarwal et al.
 * 2023) on the same mask ({@link NonAmortizedImputation}): each method's squared error and, for binary inputs, wrong
 * count over the missing pixels, and its masked log-likelihood log (1/S) Σ_s p(x_m | z_s) by the one estimator.
 *
 * @param masked           missing values (0: the example does not count)
 * @param gibbsLogLik      the estimator with z_s from q_φ(z | x_o, x̂_m) at pseudo-Gibbs's final imputation x̂_m
 * @param refinedLogLik    the estimator with z_s from the refined q_ψ
 * @param observedElboStart the observed-pixel ELBO of q_ψ before the first Adam step (the refinement's own samples)
 * @param observedElboEnd   the same before the last step
 */
public record ImputationComparison(long id, int masked, double gibbsSquaredError, int gibbsWrong, double gibbsLogLik,
                                   double refinedSquaredError, int refinedWrong, double refinedLogLik,
                                   double observedElboStart, double observedElboEnd) implements Serializable {

    public double gibbsMse() {
        return gibbsSquaredError / masked;
    }

    public double refinedMse() {
        return refinedSquaredError / masked;
    }

    public double gibbsErrorRate() {
        return (double) gibbsWrong / masked;
    }

    public double refinedErrorRate() {
        return (double) refinedWrong / masked;
    }
}
