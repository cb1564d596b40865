package org.vaespark.core.model.flow;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.Init;

/**
 * MADE, a masked autoencoder for distribution estimation (Germain et al. 2015): dense layers
 * whose weights are multiplied by constant 0/1 masks so that output j depends only on the
 * inputs before j in the ordering. Input i has degree {@code degrees[i]} (a permutation of
 * 1..d); hidden unit k of every layer has degree 1 + (k mod max(1, d - 1)) (the deterministic
 * assignment); a hidden unit sees the inputs and units of degree at most its own, and output j
 * sees the last layer's units of degree strictly below j's. An optional context vector (the IAF
 * encoder's h, Kingma et al. 2016) feeds the first hidden layer unmasked. Each named output head
 * is [N, d]. Parameters: {@code prefix_h<i>} (masked hidden layers), {@code prefix_ctx_W} and
 * {@code prefix_<output>} (masked heads).
 */
public final class Made {
    private final String prefix;
    private final int[] degrees;
    private final List<Integer> hidden;
    private final int contextWidth;
    private final Activation activation;
    private final List<String> outputs;
    private final double[] outputBias;

    /**
     * @param degrees      degree of each input, a permutation of 1..d (the autoregressive ordering)
     * @param hidden       widths of the masked hidden layers; [] connects inputs to outputs directly
     * @param contextWidth width of the unmasked context input; 0 for none
     * @param outputs      names of the output heads (e.g. "m", "s"), each [N, d]
     * @param outputBias   initial bias of each output head
     */
    public Made(String prefix, int[] degrees, List<Integer> hidden, int contextWidth, Activation activation,
                List<String> outputs, double[] outputBias) {
        if (outputs.size() != outputBias.length) {
            throw new IllegalArgumentException("one initial bias per output head");
        }
        this.prefix = prefix;
        this.degrees = degrees.clone();
        this.hidden = List.copyOf(hidden);
        this.contextWidth = contextWidth;
        this.activation = activation;
        this.outputs = List.copyOf(outputs);
        this.outputBias = outputBias.clone();
    }

    /** Degrees 1..d in index order (natural ordering), or d..1 when {@code reversed}. */
    public static int[] ordering(int d, boolean reversed) {
        int[] deg = new int[d];
        for (int i = 0; i < d; i++) {
            deg[i] = reversed ? d - i : i + 1;
        }
        return deg;
    }

    public int dim() {
        return degrees.length;
    }

    /** Degrees of the inputs (and outputs): a copy. */
    public int[] degrees() {
        return degrees.clone();
    }

    public void declare(ParameterLayout p) {
        int in = dim();
        for (int i = 0; i < hidden.size(); i++) {
            p.dense(layer(i), in, hidden.get(i));
            in = hidden.get(i);
        }
        if (contextWidth > 0) {
            p.add(contextWeight(), new long[]{contextWidth, hidden.isEmpty() ? (long) outputs.size() * dim() : hidden.get(0)},
                    Init.GLOROT);
        }
        for (int o = 0; o < outputs.size(); o++) {
            p.add(VaeNames.weight(head(o)), new long[]{in, dim()}, Init.GLOROT);
            p.add(VaeNames.bias(head(o)), new long[]{dim()}, new Init.Constant(outputBias[o]));
        }
    }

    /**
     * The masks, [in, out] each, from the input to the output side: one per hidden layer, then
     * the output mask shared by every head.
     */
    public List<double[][]> masks() {
        List<double[][]> masks = new ArrayList<>();
        int[] below = degrees;
        for (int width : hidden) {
            int[] units = hiddenDegrees(width);
            masks.add(mask(below, units, false));
            below = units;
        }
        masks.add(mask(below, degrees, true));
        return masks;
    }

    /**
     * The output heads on {@code x} [N, d], with an optional context [N, contextWidth] (null when
     * the MADE has none).
     */
    public List<SDVariable> forward(Graph g, SDVariable x, SDVariable context) {
        List<double[][]> masks = masks();
        SDVariable h = x;
        for (int i = 0; i < hidden.size(); i++) {
            SDVariable pre = h.mmul(masked(g, VaeNames.weight(layer(i)), masks.get(i))).add(g.param(VaeNames.bias(layer(i))));
            if (i == 0 && context != null) {
                pre = pre.add(context.mmul(g.param(contextWeight())));
            }
            h = g.activate(pre, activation);
        }
        SDVariable ctxOut = null;
        if (hidden.isEmpty() && context != null) {
            ctxOut = context.mmul(g.param(contextWeight()));
        }
        List<SDVariable> out = new ArrayList<>();
        for (int o = 0; o < outputs.size(); o++) {
            SDVariable y = h.mmul(masked(g, VaeNames.weight(head(o)), masks.get(masks.size() - 1)))
                    .add(g.param(VaeNames.bias(head(o))));
            if (ctxOut != null) {
                y = y.add(g.sd().slice(ctxOut, new int[]{0, o * dim()}, -1, dim()));
            }
            out.add(y);
        }
        return out;
    }

    private SDVariable masked(Graph g, String weight, double[][] mask) {
        return g.param(weight).mul(g.constant(Nd4j.createFromArray(mask)));
    }

    private int[] hiddenDegrees(int width) {
        int cycle = Math.max(1, dim() - 1);
        int[] deg = new int[width];
        for (int k = 0; k < width; k++) {
            deg[k] = 1 + k % cycle;
        }
        return deg;
    }

    private static double[][] mask(int[] from, int[] to, boolean strict) {
        double[][] m = new double[from.length][to.length];
        for (int i = 0; i < from.length; i++) {
            for (int j = 0; j < to.length; j++) {
                boolean connected = strict ? to[j] > from[i] : to[j] >= from[i];
                m[i][j] = connected ? 1 : 0;
            }
        }
        return m;
    }

    /** Name prefix of masked hidden layer i (its weight and bias). */
    public String layer(int i) {
        return prefix + "_h" + i;
    }

    /** Name prefix of output head o (its weight and bias). */
    public String head(int o) {
        return prefix + "_" + outputs.get(o);
    }

    /** Name of the unmasked context weight. */
    public String contextWeight() {
        return prefix + "_ctx_W";
    }

    /** Widths of the masked hidden layers. */
    public List<Integer> hidden() {
        return hidden;
    }

    /** Number of output heads. */
    public int outputCount() {
        return outputs.size();
    }

    /** Width of the unmasked context input; 0 for none. */
    public int contextWidth() {
        return contextWidth;
    }

    public Activation activation() {
        return activation;
    }
}
