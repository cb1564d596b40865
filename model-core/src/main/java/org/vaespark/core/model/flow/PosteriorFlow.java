package org.vaespark.core.model.flow;

import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.graph.Graph;

/** A normalising flow applied to samples of the diagonal-Gaussian posterior. */
public interface PosteriorFlow {
    default void declare(ParameterLayout layout) {
    }

    /**
     * @param z0      samples of q_0(z|x), [S, B, d]
     * @param context the encoder's features [B, h] (amortised flow parameters, IAF context)
     * @return z_K and the summed log-determinant, or null for the identity (no flow)
     */
    FlowResult apply(Graph g, SDVariable z0, SDVariable context);
}
