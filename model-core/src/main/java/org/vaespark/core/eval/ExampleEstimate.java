package org.vaespark.core.eval;

import java.io.Serializable;

/**
 * Per-example evaluation results, in nats.
 *
 * @param id             example id within its split
 * @param logLikelihood  IWAE-k estimate log p̂(x) = logsumexp_i log w_i - log k
 * @param elbo           mean of the k log-weights (a k-sample estimate of the ELBO)
 * @param reconstruction mean over the k samples of log p(x|z)
 * @param kl             analytic KL(q(z|x) || N(0, I)) where it exists, else the mean over the k samples of log q(z|x) - log p(z)
 * @param klZ1           two-layer HVAE (Tomczak &amp; Welling 2018): mean over the same k samples of
 *                       log q(z1|x, z2) - log p(z1|z2); null for one-layer models
 * @param klZ2           two-layer HVAE: mean over the same k samples of log q(z2|x) - log p(z2); null for
 *                       one-layer models. {@code klZ1 + klZ2 = kl} up to float rounding.
 */
public record ExampleEstimate(long id, double logLikelihood, double elbo, double reconstruction, double kl, Double klZ1, Double klZ2)
        implements Serializable {

    /** An estimate of a model with one stochastic layer: no per-layer KL. */
    public ExampleEstimate(long id, double logLikelihood, double elbo, double reconstruction, double kl) {
        this(id, logLikelihood, elbo, reconstruction, kl, null, null);
    }

    /** Whether the estimate carries the KL of each stochastic layer (a hierarchical model). */
    public boolean hasLayerKl() {
        return klZ1 != null && klZ2 != null;
    }
}
