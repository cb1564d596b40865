package org.vaespark.core.model;

/**
 * How 8-bit pixels become model inputs. Static and dynamic binarization are different
 * benchmarks (static is about 2 nats worse and overfits; docs/math.md, Evaluation protocol), so every result states it.
 */
public enum Binarization {
    /** The dataset is already binary (Larochelle &amp; Murray 2011); pixels 0/1 are used as they are. */
    STATIC,
    /** A fresh Bernoulli(pixel/255) draw per epoch in training; one seeded draw at evaluation. */
    DYNAMIC,
    /** No binarization: grey levels scaled to [0, 1]. */
    NONE,
    /**
     * Uniform dequantization for continuous densities: (v + u) / 256 with u ~ U(0, 1), a fresh
     * draw per epoch in training and one seeded draw at evaluation. A density on these values is
     * a density on the 8-bit data's bins after + D ln 256 (Theis et al. 2016), so bits/dim is defined.
     */
    DEQUANTIZE;

    /** True when the model sees 0/1 pixels (static or dynamic binarization). */
    public boolean binary() {
        return this == STATIC || this == DYNAMIC;
    }
}
