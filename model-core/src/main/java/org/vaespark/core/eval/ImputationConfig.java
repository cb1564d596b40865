package org.vaespark.core.eval;

import com.typesafe.config.Config;
import java.io.Serializable;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;

/**
 * Settings of the missing-value imputation application ({@code eval.imputation.*}).
 *
 * @param mask       which pixels are hidden
 * @param fraction   share of hidden pixels for the random mask, in (0, 1]
 * @param iterations pseudo-Gibbs steps (encode, sample z, decode, refill the hidden pixels)
 * @param seed       seed of the random mask and of the posterior noise
 */
public record ImputationConfig(ImputationMask mask, double fraction, int iterations, long seed) implements Serializable {

    public ImputationConfig {
        if (!(fraction > 0 && fraction <= 1)) {
            throw Errors.badConfigValue("eval.imputation.fraction", fraction, "a number in (0, 1]");
        }
        if (iterations <= 0) {
            throw Errors.badConfigValue("eval.imputation.iterations", iterations, "an integer > 0");
        }
    }

    public static ImputationConfig from(Config c) {
        return new ImputationConfig(Keys.enumValue(c, "eval.imputation.mask", ImputationMask.class),
                Keys.doubleValue(c, "eval.imputation.fraction"), Keys.intValue(c, "eval.imputation.iterations"),
                Keys.longValue(c, "eval.imputation.seed"));
    }

    /** What the figures' notes say about the mask. */
    public String describe() {
        return mask.describe(fraction) + ", " + iterations + " pseudo-Gibbs iterations, seed " + seed;
    }
}
