package org.vaespark.core.eval.amortization;

import java.io.Serializable;

/**
 * The amortization-gap figures of one example (Cremer, Li &amp; Duvenaud 2018). Both ELBOs and both IWAE-k bounds
 * are Monte-Carlo means over k samples; q* was scored with noise other than the noise it was optimised on. Neither
 * gap is clipped: a negative value is what was measured.
 *
 * @param elboEncoder ELBO(q_φ), the encoder's posterior
 * @param iwaeEncoder IWAE-k with q_φ as the proposal
 * @param elboRefined ELBO(q*), the refined posterior
 * @param iwaeRefined IWAE-k with q* as the proposal
 * @param trace       the ELBO of the refinement's own samples before each step (trace[0]: at the encoder's output)
 * @param mean        q*'s mean
 * @param logvar      q*'s log-variance
 */
public record ExampleGap(long id, double elboEncoder, double iwaeEncoder, double elboRefined, double iwaeRefined,
                         double[] trace, float[] mean, float[] logvar) implements Serializable {

    /** log p̂(x): the larger of the two IWAE-k lower bounds. */
    public double logLikelihood() {
        return Math.max(iwaeEncoder, iwaeRefined);
    }

    /** log p̂(x) − ELBO(q*): what the diagonal-Gaussian family itself costs. */
    public double approximationGap() {
        return logLikelihood() - elboRefined;
    }

    /** ELBO(q*) − ELBO(q_φ): what sharing one encoder across examples costs. */
    public double amortizationGap() {
        return elboRefined - elboEncoder;
    }
}
