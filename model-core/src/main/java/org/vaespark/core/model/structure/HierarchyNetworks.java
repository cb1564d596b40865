package org.vaespark.core.model.structure;

import java.util.ArrayList;
import java.util.List;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.HierarchyInference;
import org.vaespark.core.model.HierarchySpec;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.network.GaussianMlp;

/**
 * The Gaussian conditionals between the stochastic layers of a {@link HierarchicalVae}: {@code q_z<k>} for every
 * layer the encoder does not infer, {@code p_z<k>} for k &lt; K, with what each reads. Both executors take the
 * wiring from here, so it is written once. Declared q networks first (in the order the layers are sampled), then
 * p networks from the top: with K = 2 top-down, {@code q_z1} then {@code p_z1}, the two-layer model's layout.
 */
public final class HierarchyNetworks {
    private final HierarchySpec h;
    private final int featureWidth;
    private final GaussianMlp[] q;
    private final GaussianMlp[] p;

    public HierarchyNetworks(HierarchySpec h, int featureWidth, Activation activation, boolean gated) {
        this.h = h;
        this.featureWidth = featureWidth;
        int layers = h.layers();
        List<Integer> hidden = h.hidden();
        this.q = new GaussianMlp[layers + 1];
        this.p = new GaussianMlp[layers + 1];
        for (int k = 1; k < layers; k++) {
            p[k] = new GaussianMlp(HierarchicalVae.pLayer(k), h.width(h.parents(k)), hidden, activation, gated, h.dim(k));
        }
        for (int k : inferenceOrder(h)) {
            boolean shared = h.inference() == HierarchyInference.BIDIRECTIONAL;
            int in = (qReadsX(k) ? featureWidth : 0) + (shared ? stateWidth(k) : h.width(qParents(k)));
            q[k] = new GaussianMlp(HierarchicalVae.qLayer(k), in, qHidden(), activation, gated, h.dim(k));
        }
    }

    /** The layer the encoder's heads infer from x alone: z_1 bottom-up, z_K otherwise. */
    public static int encodedLayer(HierarchySpec h) {
        return h.inference() == HierarchyInference.BOTTOM_UP ? 1 : h.layers();
    }

    /** The other layers in the order they are sampled: K-1 .. 1, or bottom-up 2 .. K. */
    public static List<Integer> inferenceOrder(HierarchySpec h) {
        List<Integer> order = new ArrayList<>();
        if (h.inference() == HierarchyInference.BOTTOM_UP) {
            for (int k = 2; k <= h.layers(); k++) {
                order.add(k);
            }
        } else {
            for (int k = h.layers() - 1; k >= 1; k--) {
                order.add(k);
            }
        }
        return order;
    }

    /** Whether q(z_k|.) reads the encoder's features of x (every q but the Markovian bottom-up one). */
    public boolean qReadsX(int k) {
        return !(h.inference() == HierarchyInference.BOTTOM_UP && h.markovian());
    }

    /**
     * The layers q(z_k|.) reads besides x (top-down and bottom-up): z_{k+1..K} or z_{k+1} (Markovian) top-down,
     * z_{1..k-1} or z_{k-1} (Markovian) bottom-up. Bidirectional q reads p's hidden state instead.
     */
    public List<Integer> qParents(int k) {
        if (h.inference() != HierarchyInference.BOTTOM_UP) {
            return h.parents(k);
        }
        List<Integer> out = new ArrayList<>();
        for (int j = h.markovian() ? k - 1 : 1; j < k; j++) {
            out.add(j);
        }
        return out;
    }

    /** Hidden widths of the q networks: none bidirectionally (Gaussian heads on [h(x), s_k]), else the hierarchy's. */
    public List<Integer> qHidden() {
        return h.inference() == HierarchyInference.BIDIRECTIONAL ? List.of() : h.hidden();
    }

    /** Width of the hidden state s_k of p(z_k|.)'s network: its last hidden layer, or its input when it has none. */
    public int stateWidth(int k) {
        List<Integer> hidden = h.hidden();
        return hidden.isEmpty() ? h.width(h.parents(k)) : hidden.get(hidden.size() - 1);
    }

    /** Width of the encoder's features h(x). */
    public int featureWidth() {
        return featureWidth;
    }

    public GaussianMlp q(int k) {
        return q[k];
    }

    public GaussianMlp p(int k) {
        return p[k];
    }

    public void declare(ParameterLayout layout) {
        for (int k : inferenceOrder(h)) {
            q[k].declare(layout);
        }
        for (int k = h.layers() - 1; k >= 1; k--) {
            p[k].declare(layout);
        }
    }
}
