package org.vaespark.core.model;

/** The training objective ({@code model.objective.kind}); formulas in docs/math.md, Training objectives. */
public enum ObjectiveKind {
    /** The ELBO with a weighted KL (beta-VAE, warm-up, free bits). */
    ELBO,
    /** IWAE-k bound with k = {@code train.samples} (Burda et al. 2016). */
    IWAE,
    /** InfoVAE / MMD-VAE (Zhao et al. 2019). */
    MMD
}
