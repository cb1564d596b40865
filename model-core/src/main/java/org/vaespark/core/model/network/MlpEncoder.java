package org.vaespark.core.model.network;

import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.Architecture;
import org.vaespark.core.model.NetworkSpec;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;

/**
 * Dense (or gated dense) layers {@code enc_i} on x, or on [x, c] for a conditional model, then
 * the heads {@code enc_mu} and {@code enc_logvar} (Kingma &amp; Welling 2014, App. C).
 */
public final class MlpEncoder implements GaussianEncoder {
    private final Mlp trunk;
    private final int latentDim;

    public MlpEncoder(NetworkSpec spec, int inputDim, int conditionDim, int latentDim) {
        this.trunk = new Mlp(VaeNames::encoderLayer, inputDim + conditionDim, spec.encoderHidden(), spec.activation(),
                spec.architecture() == Architecture.GATED);
        this.latentDim = latentDim;
    }

    @Override
    public void declare(ParameterLayout p) {
        trunk.declare(p);
        p.dense(VaeNames.ENC_MU, trunk.outWidth(), latentDim);
        p.dense(VaeNames.ENC_LOGVAR, trunk.outWidth(), latentDim);
    }

    @Override
    public Gaussian encode(Graph g, SDVariable x, SDVariable condition) {
        SDVariable in = condition == null ? x : g.sd().concat(1, x, condition);
        SDVariable h = trunk.forward(g, in);
        return new Gaussian(g.dense(h, VaeNames.ENC_MU), g.dense(h, VaeNames.ENC_LOGVAR), h);
    }

    @Override
    public int featureWidth() {
        return trunk.outWidth();
    }
}
