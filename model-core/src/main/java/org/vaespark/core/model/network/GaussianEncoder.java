package org.vaespark.core.model.network;

import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.graph.Graph;

/**
 * An encoder network followed by two dense heads: q(z|x) = N(mean, diag exp(logvar)). Used for
 * q(z|x) itself and, with the same parameters, by the VampPrior on its pseudo-inputs.
 */
public interface GaussianEncoder {
    void declare(ParameterLayout layout);

    /**
     * @param x         inputs [N, D]
     * @param condition one-hot condition [N, c], or null when the encoder is unconditional
     */
    Gaussian encode(Graph g, SDVariable x, SDVariable condition);

    /** Width of {@link Gaussian#features()}. */
    int featureWidth();
}
