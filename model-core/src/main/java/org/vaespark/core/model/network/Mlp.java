package org.vaespark.core.model.network;

import java.util.List;
import java.util.function.IntFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.graph.Graph;

/**
 * A stack of dense layers, plain (activation(W x + b)) or gated ((W x + b) * sigmoid(V x + c),
 * Tomczak &amp; Welling 2018 after Dauphin et al. 2017). Layer i is named {@code prefix(i)}; the
 * gate of a gated layer is {@code prefix(i) + "_gate"}.
 */
public final class Mlp {
    private final IntFunction<String> prefix;
    private final int in;
    private final List<Integer> widths;
    private final Activation activation;
    private final boolean gated;

    public Mlp(IntFunction<String> prefix, int in, List<Integer> widths, Activation activation, boolean gated) {
        this.prefix = prefix;
        this.in = in;
        this.widths = List.copyOf(widths);
        this.activation = activation;
        this.gated = gated;
    }

    public void declare(ParameterLayout p) {
        int w = in;
        for (int i = 0; i < widths.size(); i++) {
            p.dense(prefix.apply(i), w, widths.get(i));
            if (gated) {
                p.dense(gate(i), w, widths.get(i));
            }
            w = widths.get(i);
        }
    }

    /** Width of the output (the input width when there are no layers). */
    public int outWidth() {
        return widths.isEmpty() ? in : widths.get(widths.size() - 1);
    }

    /** [N, in] to [N, outWidth]. */
    public SDVariable forward(Graph g, SDVariable x) {
        SDVariable h = x;
        for (int i = 0; i < widths.size(); i++) {
            SDVariable pre = g.dense(h, prefix.apply(i));
            h = gated ? pre.mul(g.sd().nn.sigmoid(g.dense(h, gate(i)))) : g.activate(pre, activation);
        }
        return h;
    }

    private String gate(int i) {
        return prefix.apply(i) + "_gate";
    }
}
