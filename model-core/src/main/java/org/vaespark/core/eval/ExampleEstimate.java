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
 * @param layerKl        hierarchical VAE: at index k - 1 the mean over the same k samples of log q(z_k|.) - log p(z_k|.)
 *                       of layer k = 1..K (summing to {@code kl} up to float rounding); null for one-layer models
 */
public record ExampleEstimate(long id, double logLikelihood, double elbo, double reconstruction, double kl, double[] layerKl)
        implements Serializable {

    /** An estimate of a model with one stochastic layer: no per-layer KL. */
    public ExampleEstimate(long id, double logLikelihood, double elbo, double reconstruction, double kl) {
        this(id, logLikelihood, elbo, reconstruction, kl, null);
    }

    /** Whether the estimate carries the KL of each stochastic layer (a hierarchical model). */
    public boolean hasLayerKl() {
        return layerKl != null;
    }

    /** The KL of layer k (1-based), or null when the model has no such layer. */
    public Double layerKl(int k) {
        return layerKl == null || k > layerKl.length ? null : layerKl[k - 1];
    }

    /** The KL of z1, the bottom layer of a hierarchical VAE; null for one-layer models. */
    public Double klZ1() {
        return layerKl(1);
    }

    /** The KL of z2 (the top layer of the two-layer HVAE); null for one-layer models. */
    public Double klZ2() {
        return layerKl(2);
    }
}
