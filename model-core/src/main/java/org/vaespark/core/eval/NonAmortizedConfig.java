package org.vaespark.core.eval;

import com.typesafe.config.Config;
import java.io.Serializable;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;

/**
 * Settings of non-amortized imputation ({@code eval.imputation.non-amortized.*}; Agarwal et al. 2023): Adam on each
 * example's diagonal-Gaussian q_ψ(z) on the ELBO of its observed pixels, and the S draws of the masked
 * log-likelihood estimator shared with pseudo-Gibbs. Mask and seed come from {@code eval.imputation.*}.
 *
 * @param steps           Adam steps per example
 * @param learningRate    Adam's step size on q_ψ's mean and log-variance
 * @param gradientSamples Monte-Carlo samples of the ELBO gradient per step
 * @param samples         S: draws z_s of log (1/S) Σ_s p(x_m | z_s), for both methods, and of the imputation's mean
 */
public record NonAmortizedConfig(int steps, double learningRate, int gradientSamples, int samples) implements Serializable {
    private static final String PREFIX = "eval.imputation.non-amortized.";

    public NonAmortizedConfig {
        if (steps <= 0) {
            throw Errors.badConfigValue(PREFIX + "steps", steps, "an integer > 0");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw Errors.badConfigValue(PREFIX + "learning-rate", learningRate, "a finite number > 0");
        }
        if (gradientSamples <= 0) {
            throw Errors.badConfigValue(PREFIX + "gradient-samples", gradientSamples, "an integer > 0");
        }
        if (samples <= 0) {
            throw Errors.badConfigValue(PREFIX + "samples", samples, "an integer > 0");
        }
    }

    public static NonAmortizedConfig from(Config c) {
        return new NonAmortizedConfig(Keys.intValue(c, PREFIX + "steps"), Keys.doubleValue(c, PREFIX + "learning-rate"),
                Keys.intValue(c, PREFIX + "gradient-samples"), Keys.intValue(c, PREFIX + "samples"));
    }

    /** The config key of the learning rate (named by errors). */
    static String rateKey() {
        return PREFIX + "learning-rate";
    }

    /** What the metrics' notes say about the refinement. */
    public String describe() {
        return steps + " Adam steps (learning rate " + learningRate + ", " + gradientSamples + " samples per step)";
    }
}
