package org.vaespark.core.model.network;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.graph.Graph;

/**
 * A conditional diagonal Gaussian N(mean(h), diag exp(logvar(h))) computed by a dense (or gated
 * dense) stack {@code prefix_i} followed by the heads {@code prefix_mu} and {@code prefix_logvar}:
 * the networks of q(z1|x, z2) and p(z1|z2) of the two-layer HVAE (Tomczak &amp; Welling 2018, App. B).
 */
public final class GaussianMlp {
    private final String prefix;
    private final Mlp trunk;
    private final int outDim;

    public GaussianMlp(String prefix, int in, List<Integer> widths, Activation activation, boolean gated, int outDim) {
        this.prefix = prefix;
        this.trunk = new Mlp(i -> prefix + "_" + i, in, widths, activation, gated);
        this.outDim = outDim;
    }

    public void declare(ParameterLayout p) {
        trunk.declare(p);
        p.dense(meanLayer(), trunk.outWidth(), outDim);
        p.dense(logvarLayer(), trunk.outWidth(), outDim);
    }

    /** Rows [N, in] to the Gaussian's mean and log-variance [N, outDim] (features: the trunk's output). */
    public Gaussian forward(Graph g, SDVariable in) {
        SDVariable h = trunk.forward(g, in);
        return new Gaussian(g.dense(h, meanLayer()), g.dense(h, logvarLayer()), h);
    }

    /** Name prefix of the mean head's dense layer. */
    public String meanLayer() {
        return prefix + "_mu";
    }

    /** Name prefix of the log-variance head's dense layer. */
    public String logvarLayer() {
        return prefix + "_logvar";
    }
}
