package org.vaespark.core.model.likelihood;

import org.vaespark.core.model.VaeConfig;

/** Builds the likelihood a configuration names. */
public final class Likelihoods {
    private Likelihoods() {
    }

    public static ObservationModel create(VaeConfig c) {
        return switch (c.likelihood()) {
            case BERNOULLI -> new BernoulliLikelihood(c.inputDim());
            case GAUSSIAN -> new GaussianLikelihood(c.inputDim(), c.observation());
            case LOGISTIC -> new LogisticLikelihood(c.image());
            case LOGISTIC_MIXTURE -> new LogisticMixtureLikelihood(c.image(), c.observation().mixtures());
        };
    }
}
