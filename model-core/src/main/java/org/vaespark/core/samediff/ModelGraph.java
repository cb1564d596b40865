package org.vaespark.core.samediff;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The one graph definition of every model: builds the structure that {@link ModelDescription}
 * names for the configuration, which composes the encoder, posterior flow, prior, decoder,
 * likelihood and objective. Every
 * variant emits the same named per-sample outputs (log p(x|z), log p(z), log q(z|x)), so the
 * same trainer and the same IWAE estimator serve all of them.
 */
public final class ModelGraph {
    private ModelGraph() {
    }

    /** Builds the float32 graph with {@code params} as its variables. */
    public static SameDiff build(VaeConfig c, NamedArrays params) {
        return build(c, params, DataType.FLOAT);
    }

    /**
     * Builds the graph in {@code dtype}: FLOAT for training and evaluation, DOUBLE for
     * finite-difference gradient checks (placeholders must then be fed in double).
     */
    public static SameDiff build(VaeConfig c, NamedArrays params, DataType dtype) {
        SameDiff sd = SameDiff.create();
        for (String name : params.names()) {
            sd.var(name, params.toNd4j(name).castTo(dtype));
        }
        define(new Graph(sd, c, dtype));
        sd.setLossVariables(org.vaespark.core.model.VaeNames.LOSS);
        return sd;
    }

    /**
     * Builds the model's outputs and loss into {@code g}, whose parameters (named as in the
     * {@link ParameterLayout}) and inputs already exist: the one graph definition that both
     * {@link #build} and hosts such as DL4J's SameDiffOutputLayer use. Returns the loss
     * ({@code VaeNames.LOSS}, the mean over the minibatch).
     */
    public static org.nd4j.autodiff.samediff.SDVariable define(Graph g) {
        ModelDescription.structure(g.config()).build(g);
        return g.sd().getVariable(org.vaespark.core.model.VaeNames.LOSS);
    }
}
