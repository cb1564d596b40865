package org.vaespark.core.model;

/** The stochastic structure of the model ({@code model.kind}). */
public enum ModelKind {
    /** One stochastic layer, q(z|x) p(x|z) p(z) (Kingma &amp; Welling 2014). */
    VAE,
    /** Two stochastic layers with top-down inference q(z2|x) q(z1|x, z2), p(z2) p(z1|z2) p(x|z1, z2) (Tomczak &amp; Welling 2018). */
    HVAE,
    /** Conditional VAE q(z|x, c), p(x|z, c) with one-hot labels c (Sohn et al. 2015). */
    CVAE,
    /** Semi-supervised M2: q(y|x), q(z|x, y), p(x|z, y) (Kingma et al. 2014). */
    M2,
    /**
     * Multimodal VAE (Wu &amp; Goodman 2018): two modalities, a Gaussian expert q(z|x_m) each, the joint posterior
     * their product with the N(0, I) prior expert, trained on the subsampled ELBO terms.
     */
    MVAE
}
