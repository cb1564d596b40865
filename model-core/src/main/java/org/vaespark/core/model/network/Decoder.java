package org.vaespark.core.model.network;

import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.graph.Graph;

/** A decoder network: latent rows [N, in] (N = S * B, sample-major) to likelihood parameters [N, out]. */
public interface Decoder {
    void declare(ParameterLayout layout);

    /**
     * @param z         latent rows [N, in]
     * @param condition one-hot condition rows [N, c], or null when unconditional
     */
    SDVariable decode(Graph g, SDVariable z, SDVariable condition);
}
