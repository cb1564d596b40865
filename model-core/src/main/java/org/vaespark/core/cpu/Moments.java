package org.vaespark.core.cpu;

/** A diagonal Gaussian's mean and log-variance [N, d], and the features [N, h] they were computed from. */
record Moments(Tensor mean, Tensor logvar, Tensor features) {
}
