package org.vaespark.core.model;

/** Whether the Gaussian likelihood's scalar variance is trained or fixed. */
public enum GaussianVariance {
    LEARNED, FIXED
}
