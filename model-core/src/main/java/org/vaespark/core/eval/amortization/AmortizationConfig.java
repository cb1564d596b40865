package org.vaespark.core.eval.amortization;

import com.typesafe.config.Config;
import java.io.Serializable;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;

/**
 * Settings of the per-example refinement of the amortization-gap diagnostic ({@code eval.amortization.*}; Cremer,
 * Li &amp; Duvenaud 2018). The IWAE-k bounds it scores with take k, chunk and seed from the evaluation ({@code eval.*}).
 *
 * @param steps        Adam steps per example
 * @param learningRate Adam's step size on the mean and log-variance
 * @param samples      Monte-Carlo samples of the ELBO gradient per step
 */
public record AmortizationConfig(int steps, double learningRate, int samples) implements Serializable {

    public AmortizationConfig {
        if (steps <= 0) {
            throw Errors.badConfigValue("eval.amortization.steps", steps, "an integer > 0 (500 is the default)");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw Errors.badConfigValue("eval.amortization.learning-rate", learningRate, "a number > 0 (0.01 is the default)");
        }
        if (samples <= 0) {
            throw Errors.badConfigValue("eval.amortization.samples", samples, "an integer > 0 (10 is the default)");
        }
    }

    public static AmortizationConfig from(Config c) {
        return new AmortizationConfig(Keys.intValue(c, "eval.amortization.steps"),
                Keys.doubleValue(c, "eval.amortization.learning-rate"), Keys.intValue(c, "eval.amortization.samples"));
    }

    /** What the metrics' notes say about the refinement. */
    public String describe() {
        return steps + " Adam steps (learning rate " + learningRate + ", " + samples + " samples per step)";
    }
}
