package org.vaespark.core.model;


/** How VampPrior pseudo-inputs start ({@code model.prior.pseudo-inputs.init}). */
public enum PseudoInputInit {
    /** K training examples chosen by the seed. */
    DATA,
    /** Independent N(mean, std^2) values (Tomczak &amp; Welling 2018 use mean 0.05, std 0.01). */
    RANDOM
}
