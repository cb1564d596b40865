package org.vaespark.core.model.structure;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.graph.Graph;

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

    /**
     * The decoder mean [N, D] of p(x|z) for latent rows z [N, priorDim] of the prior's space, built
     * with this structure's own components (so a checkpoint's parameters apply unchanged).
     *
     * @param lowerNoise HVAE: standard-normal noise of z1 given z2, [N, d1]; ignored otherwise
     * @param condition  one-hot labels [N, classes] for CVAE and M2; null otherwise
     * @throws UnsupportedOperationException with the reason when the decoder mean is not a function of z
     */
    default SDVariable decodeMean(Graph g, SDVariable z, SDVariable lowerNoise, SDVariable condition) {
        throw new UnsupportedOperationException("this model structure has no decoder-only graph");
    }

    /** Outputs on the loss path that {@code Vae#elbo} needs to report a training ELBO. */
    List<String> trainingOutputs();
}
