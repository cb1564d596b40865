package org.vaespark.core.model.likelihood;

import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.graph.Graph;

/** A likelihood p(x|z) given the decoder's output parameters. */
public interface ObservationModel {
    /** Parameters of the likelihood itself (e.g. a learned variance); most have none. */
    default void declare(ParameterLayout layout) {
    }

    /** Decoder outputs per example (D for Bernoulli and Gaussian). */
    int outputWidth();

    /**
     * log p(x|z) per sample: x [B, D] (encoded by PixelEncoding), decoder outputs [S, B, outputWidth] to [S, B].
     * Every normalising constant is kept.
     */
    SDVariable logProb(Graph g, SDVariable x, SDVariable out);

    /**
     * The mean of p(x|z) per value, in the scale of the model inputs (PixelEncoding: [0, 1]):
     * decoder outputs [N, outputWidth] to [N, D], pixels row-major channels-last. Used for
     * reconstructions, samples and imputation; never on the loss path.
     */
    SDVariable mean(Graph g, SDVariable out);
}
