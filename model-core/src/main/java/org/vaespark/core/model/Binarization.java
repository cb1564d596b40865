package org.vaespark.core.model;

/**
 * How 8-bit pixels become model inputs. Static and dynamic binarization are different
 * benchmarks (static is about 2 nats worse and overfits; SCIENCE.md), so every result states it.
 */
public enum Binarization {
    /** The dataset is already binary (Larochelle &amp; Murray 2011); pixels 0/1 are used as they are. */
    STATIC,
    /** A fresh Bernoulli(pixel/255) draw per epoch in training; one seeded draw at evaluation. */
    DYNAMIC,
    /** No binarization: grey levels scaled to [0, 1]. */
    NONE
}
