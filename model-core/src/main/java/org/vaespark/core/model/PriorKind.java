package org.vaespark.core.model;


/** The prior p(z) ({@code model.prior.kind}); docs/math.md, Priors, gives each density. */
public enum PriorKind {
    /** N(0, I) (Kingma &amp; Welling 2014). */
    STANDARD,
    /** Mixture of K diagonal Gaussians with trainable means and variances. */
    MOG,
    /** VampPrior: (1/K) sum_k q(z|u_k) with K trainable pseudo-inputs (Tomczak &amp; Welling 2018). */
    VAMP,
    /** Autoregressive-flow prior with MADE layers: log p(z) = log N(eps; 0, I) + log|det d eps/d z| (Papamakarios et al. 2017). */
    FLOW
}
