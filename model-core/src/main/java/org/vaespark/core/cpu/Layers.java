package org.vaespark.core.cpu;

import java.util.List;
import java.util.function.IntFunction;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.VaeNames;

/**
 * The dense building blocks of the MLP family on the CPU executor, under the parameter names the
 * model's layout declares: stacks of dense or gated dense layers (Tomczak &amp; Welling 2018 after
 * Dauphin et al. 2017) and Gaussian heads.
 */
final class Layers {
    private Layers() {
    }

    /** x prefix_W + prefix_b. */
    static Tensor dense(Tape t, CpuParameters p, Tensor x, String prefix) {
        return t.dense(x, t.param(p, VaeNames.weight(prefix)), t.param(p, VaeNames.bias(prefix)));
    }

    /** activation(W x + b) per layer, or (W x + b) * sigmoid(V x + c) when gated; layer i named {@code prefix(i)}. */
    static Tensor stack(Tape t, CpuParameters p, IntFunction<String> prefix, Tensor x, List<Integer> widths,
                        Activation activation, boolean gated) {
        Tensor h = x;
        for (int i = 0; i < widths.size(); i++) {
            Tensor pre = dense(t, p, h, prefix.apply(i));
            h = gated ? t.gate(pre, dense(t, p, h, prefix.apply(i) + "_gate")) : t.activate(pre, activation);
        }
        return h;
    }

    /** A stack {@code prefix_i} then the heads {@code prefix_mu}, {@code prefix_logvar} (the HVAE's conditionals). */
    static Moments gaussian(Tape t, CpuParameters p, String prefix, Tensor x, List<Integer> widths, Activation activation,
                            boolean gated) {
        Tensor h = stack(t, p, i -> prefix + "_" + i, x, widths, activation, gated);
        return new Moments(dense(t, p, h, prefix + "_mu"), dense(t, p, h, prefix + "_logvar"), h);
    }
}
