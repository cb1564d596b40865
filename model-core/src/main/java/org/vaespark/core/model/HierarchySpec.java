package org.vaespark.core.model;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;

/**
 * The stochastic layers of a hierarchical VAE ({@code model.hierarchy.*}): p(z_K) prod_k p(z_k | z_{k+1:K})
 * p(x | z_{1:K}), or with {@code markovian} p(z_k | z_{k+1}) and p(x | z_1), and the factorisation of q.
 *
 * @param latentDims d_1 .. d_K, bottom (next to x) to top (the layer the prior is on); K = its size, at least 2
 * @param hidden     hidden widths of every network between two stochastic layers (q's and p's conditionals)
 * @param inference  top-down, bottom-up or bidirectional
 * @param markovian  p(z_k | z_{k+1}) and p(x | z_1) instead of conditioning on every layer above
 */
public record HierarchySpec(List<Integer> latentDims, List<Integer> hidden, HierarchyInference inference, boolean markovian)
        implements Serializable {
    static final String DIMS = "model.hierarchy.latent-dims";
    static final String TOP = "model.hierarchy.top-latent-dim";

    public HierarchySpec {
        latentDims = List.copyOf(latentDims);
        hidden = List.copyOf(hidden);
        if (latentDims.size() < 2) {
            throw Errors.badConfigValue(DIMS, latentDims, "at least two layer sizes, bottom to top, e.g. [40, 40, 40] "
                    + "(for one stochastic layer use model.kind = vae)");
        }
        for (int d : latentDims) {
            if (d <= 0) {
                throw Errors.badConfigValue(DIMS, latentDims, "layer sizes > 0, e.g. [40, 40, 40]");
            }
        }
    }

    /** Today's two-layer model: d1 = {@code z1}, d2 = {@code z2}, top-down, non-Markovian. */
    public static HierarchySpec twoLayers(int z1, int z2, List<Integer> hidden) {
        return new HierarchySpec(List.of(z1, z2), hidden, HierarchyInference.TOP_DOWN, false);
    }

    /**
     * Reads {@code model.hierarchy.*}. The sizes come from {@code latent-dims}; when it is unset, from the old keys,
     * K = 2 with [{@code model.latent-dim}, {@code top-latent-dim}] (z2 of z1's size when that is unset too). Both
     * set: {@code top-latent-dim} must equal the last entry.
     */
    public static HierarchySpec from(Config c) {
        Integer top = Keys.optionalPositiveInt(c, TOP);
        List<Integer> dims;
        if (c.getIsNull(DIMS)) {
            int z1 = Keys.positiveInt(c, "model.latent-dim");
            dims = List.of(z1, top == null ? z1 : top);
        } else {
            dims = Keys.positiveIntList(c, DIMS);
            if (dims.size() < 2) {
                throw Errors.badConfigValue(DIMS, dims, "at least two layer sizes, bottom to top, e.g. [40, 40, 40] "
                        + "(for one stochastic layer use model.kind = vae)");
            }
            if (top != null && top.intValue() != dims.get(dims.size() - 1)) {
                throw Errors.badConfigValue(TOP, top, "unset, or " + dims.get(dims.size() - 1) + ", the last entry of "
                        + DIMS + " = " + dims + " (top-latent-dim is the old name of the top layer's size)");
            }
        }
        return new HierarchySpec(dims, Keys.positiveIntList(c, "model.hierarchy.hidden"),
                Keys.enumValue(c, "model.hierarchy.inference", HierarchyInference.class),
                Keys.bool(c, "model.hierarchy.markovian"));
    }

    /** K, the number of stochastic layers. */
    public int layers() {
        return latentDims.size();
    }

    /** d_k of layer k = 1..K. */
    public int dim(int k) {
        return latentDims.get(k - 1);
    }

    /** d_K, the size of the top layer (the prior's). */
    public int topDim() {
        return latentDims.get(latentDims.size() - 1);
    }

    /** Sum of d_k. */
    public int totalDim() {
        return latentDims.stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * First column of layer k's noise in {@code eps}: the layers side by side from the top, z_K first, z_1 last (with
     * K = 2 the layout of the two-layer model: z2's columns, then z1's).
     */
    public int noiseOffset(int k) {
        int offset = 0;
        for (int j = layers(); j > k; j--) {
            offset += dim(j);
        }
        return offset;
    }

    /**
     * The layers the generative conditional of layer k reads (p(z_k | .) for k &lt; K, p(x | .) for k = 0), in
     * increasing order: k+1..K, or k+1 alone when Markovian.
     */
    public List<Integer> parents(int k) {
        List<Integer> out = new ArrayList<>();
        int last = markovian ? k + 1 : layers();
        for (int j = k + 1; j <= last; j++) {
            out.add(j);
        }
        return out;
    }

    /** Sum of d_j over {@code layers}. */
    public int width(List<Integer> layers) {
        return layers.stream().mapToInt(this::dim).sum();
    }

    /** A short form for descriptions: "40/40/40", with the inference and Markov flag when not today's two-layer default. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < latentDims.size(); i++) {
            s.append(i == 0 ? "" : "/").append(latentDims.get(i));
        }
        if (inference != HierarchyInference.TOP_DOWN) {
            s.append(' ').append(inference.name().toLowerCase().replace('_', '-'));
        }
        if (markovian) {
            s.append(" markovian");
        }
        return s.toString();
    }
}
