package org.vaespark.core.model;

/** Encoder/decoder family ({@code model.architecture}). */
public enum Architecture {
    /** Fully connected layers with the configured activation (Kingma &amp; Welling 2014). */
    MLP,
    /** Gated dense layers h = (W x + b) * sigmoid(V x + c) (Tomczak &amp; Welling 2018, after Dauphin et al. 2017). */
    GATED,
    /** Strided convolutions down to a dense layer, transposed convolutions up (images 28x28x1, 32x32x3, 64x64x3). */
    CONV
}
