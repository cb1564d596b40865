package org.vaespark.core.model.graph;

import java.util.List;
import org.vaespark.core.model.ParameterLayout;

/**
 * The stochastic structure of a model (one layer, two layers, conditional, semi-supervised):
 * declares its parameters and builds the named outputs of {@code VaeNames} plus the loss.
 * Constructors validate the configuration and throw the error factory's messages.
 */
public interface Structure {
    /** Declares every parameter, in graph order. */
    void declare(ParameterLayout layout);

    /** Builds the per-sample outputs (LOG_PX_Z, LOG_PZ, LOG_QZ_X, LOG_W), the encoder outputs and LOSS. */
    void build(Graph g);

    /** Outputs on the loss path that {@code Vae#elbo} needs to report a training ELBO. */
    List<String> trainingOutputs();
}
