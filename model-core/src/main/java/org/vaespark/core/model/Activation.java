package org.vaespark.core.model;

/** Hidden-layer nonlinearities of the MLP encoder/decoder. */
public enum Activation {
    RELU, TANH, SOFTPLUS
}
