package org.vaespark.core.model.prior;

import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.network.GaussianEncoder;

/** Builds the prior a configuration names. */
public final class Priors {
    private Priors() {
    }

    /**
     * @param dim     dimension of the latent the prior is over
     * @param encoder the model's q(z|x) encoder (the VampPrior evaluates it on its pseudo-inputs)
     */
    public static Prior create(VaeConfig c, int dim, GaussianEncoder encoder) {
        return switch (c.prior().kind()) {
            case STANDARD -> new StandardPrior(dim);
            case MOG -> new MixtureOfGaussiansPrior(dim, c.prior().components());
            case VAMP -> new VampPrior(c, dim, encoder);
            case FLOW -> new AutoregressiveFlowPrior(dim, c.prior().flowSteps(), c.prior().flowHidden(), c.activation());
        };
    }
}
