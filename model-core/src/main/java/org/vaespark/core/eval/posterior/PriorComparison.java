package org.vaespark.core.eval.posterior;

import java.io.Serializable;

/**
 * IWAE-k of one example with the model's own prior and with a post-hoc prior, on the same k
 * samples z_i ~ q(z|x).
 *
 * @param id         example id
 * @param modelPrior log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x)
 * @param posthoc    log (1/k) sum_i p(x|z_i) p_gmm(z_i) / q(z_i|x)
 */
public record PriorComparison(long id, double modelPrior, double posthoc) implements Serializable {

    /** The paired gain of the post-hoc prior (positive: it explains the data better). */
    public double gain() {
        return posthoc - modelPrior;
    }
}
