package org.vaespark.core.model;

import com.typesafe.config.Config;
import java.io.Serializable;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;

/**
 * The observation model p(x|z): {@code model.likelihood}, {@code model.gaussian.*},
 * {@code model.logistic.*}.
 *
 * @param kind          Bernoulli, Gaussian, discretized logistic or discretized logistic mixture
 * @param variance      learned or fixed (Gaussian only)
 * @param fixedVariance the variance when fixed
 * @param mixtures      components of the discretized logistic mixture (Salimans et al. 2017)
 */
public record LikelihoodSpec(Likelihood kind, GaussianVariance variance, double fixedVariance, int mixtures)
        implements Serializable {

    public LikelihoodSpec {
        if (!(fixedVariance > 0) || Double.isInfinite(fixedVariance)) {
            throw Errors.badConfigValue("model.gaussian.fixed-variance", fixedVariance, "a finite number > 0");
        }
        if (mixtures <= 0) {
            throw Errors.badConfigValue("model.logistic.mixtures", mixtures, "an integer > 0");
        }
    }

    public static LikelihoodSpec of(Likelihood kind, GaussianVariance variance, double fixedVariance) {
        return new LikelihoodSpec(kind, variance, fixedVariance, 10);
    }

    public static LikelihoodSpec from(Config c) {
        return new LikelihoodSpec(Keys.enumValue(c, "model.likelihood", Likelihood.class),
                Keys.enumValue(c, "model.gaussian.variance", GaussianVariance.class),
                Keys.positiveDouble(c, "model.gaussian.fixed-variance"), Keys.positiveInt(c, "model.logistic.mixtures"));
    }
}
