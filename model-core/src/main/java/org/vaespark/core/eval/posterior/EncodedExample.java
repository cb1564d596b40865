package org.vaespark.core.eval.posterior;

import java.io.Serializable;

/**
 * What the encoder says about one example, in double precision: the moments of q(z|x), one
 * sample z = mu + sigma * eps and its log-densities, and an independent estimate of
 * KL(q(z|x) || p(z)).
 *
 * @param id          example id (it selects the noise)
 * @param mean        mu, [d]
 * @param logvar      log sigma^2, [d]
 * @param z           one sample of q(z|x), [d]
 * @param logQzx      log q(z|x) of that sample, computed in Java from (z, mu, logvar) with all constants
 * @param logQzxGraph the graph's LOG_QZ_X for the same noise (a check of logQzx)
 * @param logPz       the graph's log p(z) of that sample
 * @param kl          KL(q(z|x) || p(z)): the closed form for the N(0, I) prior, else log q(z'|x) - log p(z')
 *                    for a second, independent sample z'
 * @param klPerDim    the closed-form KL per latent dimension, -1/2 (1 + log sigma^2 - mu^2 - sigma^2),
 *                    for the N(0, I) prior; null for priors that are not factorised
 */
public record EncodedExample(long id, double[] mean, double[] logvar, double[] z, double logQzx, double logQzxGraph,
                             double logPz, double kl, double[] klPerDim) implements Serializable {

    /** The sample's log q(z|x) - log p(z); its mean over examples is I_q(x; z) + KL(q(z) || p(z)). */
    public double sampleKl() {
        return logQzx - logPz;
    }

    /** sigma_j^2 = exp(log sigma_j^2). */
    public double[] variance() {
        double[] v = new double[logvar.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = Math.exp(logvar[j]);
        }
        return v;
    }
}
