package org.vaespark.core.model.network;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A diagonal Gaussian produced by an encoder: mean and log-variance [N, d], plus the features
 * [N, h] they were computed from (the context of posterior flows).
 */
public record Gaussian(SDVariable mean, SDVariable logvar, SDVariable features) {
}
