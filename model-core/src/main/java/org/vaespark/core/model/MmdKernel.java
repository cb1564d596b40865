package org.vaespark.core.model;

/** Kernels for the MMD term of InfoVAE (Zhao et al. 2019). */
public enum MmdKernel {
    /** k(a, b) = exp(-|a - b|^2 / (2 d s^2)). */
    GAUSSIAN,
    /** Inverse multiquadratic k(a, b) = C / (C + |a - b|^2), C = 2 d s^2 (Tolstikhin et al. 2018). */
    IMQ
}
