package org.vaespark.core.model.network;

import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.Architecture;
import org.vaespark.core.model.NetworkSpec;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;

/** Dense (or gated dense) layers {@code dec_i} on z, or on [z, c], then the output layer {@code dec_out}. */
public final class MlpDecoder implements Decoder {
    private final Mlp trunk;
    private final int outWidth;

    public MlpDecoder(NetworkSpec spec, int inWidth, int conditionDim, int outWidth) {
        this.trunk = new Mlp(VaeNames::decoderLayer, inWidth + conditionDim, spec.decoderHidden(), spec.activation(),
                spec.architecture() == Architecture.GATED);
        this.outWidth = outWidth;
    }

    @Override
    public void declare(ParameterLayout p) {
        trunk.declare(p);
        p.dense(VaeNames.DEC_OUT, trunk.outWidth(), outWidth);
    }

    @Override
    public SDVariable decode(Graph g, SDVariable z, SDVariable condition) {
        SDVariable in = condition == null ? z : g.sd().concat(1, z, condition);
        return g.dense(trunk.forward(g, in), VaeNames.DEC_OUT);
    }
}
