package org.vaespark.core.model;

/** Observation models p(x|z) ({@code model.likelihood}). */
public enum Likelihood {
    /** Bernoulli with logits, for binary data (log-likelihood through a stable softplus). */
    BERNOULLI,
    /** Gaussian with a fixed or learned scalar variance, for data scaled to [0, 1]. */
    GAUSSIAN,
    /**
     * Discretized logistic over the 256 levels of 8-bit data, edge bins extended to ±infinity
     * (Kingma et al. 2016; the "logistic_256" of Tomczak &amp; Welling 2018). A discrete likelihood.
     */
    LOGISTIC,
    /** Discretized mixture of logistics with channel coupling (Salimans et al. 2017, PixelCNN++). A discrete likelihood. */
    LOGISTIC_MIXTURE;

    /** True for likelihoods over the 256 discrete levels (bits/dim without a dequantization term). */
    public boolean discrete() {
        return this == LOGISTIC || this == LOGISTIC_MIXTURE;
    }
}
