package org.vaespark.core.model;

/** Observation models p(x|z). */
public enum Likelihood {
    /** Bernoulli with logits, for binary data (log-likelihood through a stable softplus). */
    BERNOULLI,
    /** Gaussian with a fixed or learned scalar variance, for data scaled to [0, 1]. */
    GAUSSIAN
}
