package org.vaespark.core.eval.posterior;

import java.io.Serializable;

/**
 * What S posterior samples say about one latent layer of one example, for the posterior-collapse
 * statistics of models whose q(z|x) is not a single diagonal Gaussian ({@link SampledPosterior}).
 *
 * @param kl            the example's KL of this layer: closed form where there is one, else the Monte-Carlo mean
 * @param klPerDim      KL per latent dimension, null when q is not factorised (a flow)
 * @param posteriorMean E_q[z_j|x], exact or a Monte-Carlo mean over S samples
 * @param meanMcVariance the variance of that Monte-Carlo mean per dimension (sample variance / S; 0 when exact),
 *                       subtracted from Var_x so that the Monte-Carlo noise does not make a unit look active
 * @param z             one sample of the layer (sample 0)
 * @param logQzx        log q(z|x) of that sample (for z1 of an HVAE the nested estimate
 *                      log (1/S) sum_s q(z1|x, z2_s)); NaN when not computed
 * @param componentMean mean of the Gaussian this example adds to the aggregated posterior q(z); null when the
 *                      layer's q has no closed-form density at arbitrary z (a flow)
 * @param componentLogvar log-variance of that Gaussian; null with componentMean
 */
public record LayerSample(double kl, double[] klPerDim, double[] posteriorMean, double[] meanMcVariance, double[] z,
                          double logQzx, double[] componentMean, double[] componentLogvar) implements Serializable {
}
