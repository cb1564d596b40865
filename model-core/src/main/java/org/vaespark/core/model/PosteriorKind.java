package org.vaespark.core.model;

/** The approximate posterior q(z|x) ({@code model.posterior.kind}). */
public enum PosteriorKind {
    /** Diagonal Gaussian (Kingma &amp; Welling 2014). */
    GAUSSIAN,
    /** Diagonal Gaussian followed by L planar flows, amortised by the encoder (Rezende &amp; Mohamed 2015). */
    PLANAR,
    /** Diagonal Gaussian followed by L inverse autoregressive flow steps with MADE layers (Kingma et al. 2016). */
    IAF
}
