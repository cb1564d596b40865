package org.vaespark.core.eval.posterior;

import com.typesafe.config.Config;
import java.io.Serializable;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;

/**
 * Settings of the aggregated-posterior statistics ({@code eval.posterior.*}): the "ELBO surgery"
 * decomposition E_x KL(q(z|x) || p(z)) = I_q(x; z) + KL(q(z) || p(z)) (Hoffman &amp; Johnson 2016),
 * active units (Burda et al. 2016) and a Gaussian mixture fitted post hoc as a prior.
 *
 * @param sampleSize      M, the encoder outputs log q(z) averages over (all examples when the split is smaller)
 * @param activeThreshold a dimension is active when Var_x(E_q[z_j|x]) exceeds this
 * @param gmmComponents   components of the post-hoc mixture
 * @param gmmMaxIter      EM iterations of the mixture fit at most
 * @param gmmK            importance samples per example in the prior comparison
 * @param gmmExamples     examples scored in the prior comparison; 0 skips it
 * @param gmmSeed         seed of the mixture fit and of the choice of examples
 * @param mcSamples       S, posterior samples per example for the Monte-Carlo figures of flows and HVAE layers
 */
public record PosteriorConfig(int sampleSize, double activeThreshold, int gmmComponents, int gmmMaxIter, int gmmK, int gmmExamples, long gmmSeed,
                              int mcSamples)
        implements Serializable {

    public PosteriorConfig {
        if (sampleSize <= 0) {
            throw Errors.badConfigValue("eval.posterior.sample-size", sampleSize, "an integer > 0 (10000 is the default)");
        }
        if (!(activeThreshold >= 0) || Double.isInfinite(activeThreshold)) {
            throw Errors.badConfigValue("eval.posterior.active-threshold", activeThreshold, "a finite number >= 0 (0.01, Burda et al. 2016)");
        }
        if (gmmComponents <= 0) {
            throw Errors.badConfigValue("eval.posterior.gmm-components", gmmComponents, "an integer > 0");
        }
        if (gmmMaxIter <= 0) {
            throw Errors.badConfigValue("eval.posterior.gmm-max-iter", gmmMaxIter, "an integer > 0 (100 is MLlib's default)");
        }
        if (gmmK <= 0) {
            throw Errors.badConfigValue("eval.posterior.gmm-k", gmmK, "an integer > 0");
        }
        if (gmmExamples < 0) {
            throw Errors.badConfigValue("eval.posterior.gmm-examples", gmmExamples, "an integer >= 0 (0 skips the comparison)");
        }
        if (mcSamples < 2) {
            throw Errors.badConfigValue("eval.posterior.mc-samples", mcSamples, "an integer >= 2 (the Monte-Carlo variance needs two)");
        }
    }

    public static PosteriorConfig from(Config c) {
        return new PosteriorConfig(Keys.intValue(c, "eval.posterior.sample-size"), Keys.doubleValue(c, "eval.posterior.active-threshold"),
                Keys.intValue(c, "eval.posterior.gmm-components"),
                Keys.intValue(c, "eval.posterior.gmm-max-iter"), Keys.intValue(c, "eval.posterior.gmm-k"),
                Keys.intValue(c, "eval.posterior.gmm-examples"), Keys.longValue(c, "eval.posterior.gmm-seed"),
                Keys.intValue(c, "eval.posterior.mc-samples"));
    }
}
