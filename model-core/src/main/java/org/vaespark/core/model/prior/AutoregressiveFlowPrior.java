package org.vaespark.core.model.prior;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.flow.Made;
import org.vaespark.core.model.graph.Graph;

/**
 * An autoregressive-flow prior with MADE layers, evaluated as a masked autoregressive flow
 * (Papamakarios et al. 2017; the prior of Chen et al. 2017 / Kingma et al. 2016 is the same
 * density): z is mapped to ε in one pass through K steps, each ε_j = (x_j − μ_j(x_{&lt;j}))
 * exp(−α_j(x_{&lt;j})) with [μ, α] = MADE_k(x), the ordering reversed between steps, and
 * log p(z) = log N(ε; 0, I) + log|det ∂ε/∂z| = log N(ε; 0, I) − Σ_k Σ_j α_kj. Every constant is
 * kept. Step k's MADE is named {@code afprior_<k>}; {@link FlowPriorSampler} inverts the map.
 */
public final class AutoregressiveFlowPrior implements Prior {
    private final int dim;
    private final List<Made> steps = new ArrayList<>();

    public AutoregressiveFlowPrior(int dim, int stepCount, List<Integer> hidden, Activation activation) {
        this.dim = dim;
        for (int k = 0; k < stepCount; k++) {
            steps.add(new Made("afprior_" + k, Made.ordering(dim, k % 2 == 1), hidden, 0, activation,
                    List.of("mu", "alpha"), new double[]{0, 0}));
        }
    }

    /** ε from z rows and the per-coordinate log-determinant terms −Σ_k α_kj, both [N, d]. */
    public record Transformed(SDVariable eps, SDVariable logDetTerms) {
    }

    public int dim() {
        return dim;
    }

    public int stepCount() {
        return steps.size();
    }

    /** The MADE of step k. */
    public Made step(int k) {
        return steps.get(k);
    }

    @Override
    public void declare(ParameterLayout p) {
        for (Made m : steps) {
            m.declare(p);
        }
    }

    @Override
    public SDVariable logDensity(Graph g, SDVariable z) {
        Transformed t = transform(g, g.flattenSamples(z, dim));
        SDVariable logN = g.logStandardNormal(g.unflattenSamples(t.eps(), dim), 2, dim);
        return logN.add(g.sumLast(g.unflattenSamples(t.logDetTerms(), dim), 2, dim));
    }

    /** z rows [N, d] to ε rows, through every step. */
    public Transformed transform(Graph g, SDVariable rows) {
        SDVariable x = rows;
        SDVariable negAlpha = null;
        for (int k = 0; k < steps.size(); k++) {
            List<SDVariable> ma = shiftAndLogScale(g, k, x);
            x = x.sub(ma.get(0)).mul(g.sd().math.exp(ma.get(1).neg()));
            negAlpha = negAlpha == null ? ma.get(1).neg() : negAlpha.sub(ma.get(1));
        }
        return new Transformed(x, negAlpha);
    }

    /** [μ, α] of step k on its input rows x [N, d]. */
    public List<SDVariable> shiftAndLogScale(Graph g, int k, SDVariable x) {
        return steps.get(k).forward(g, x, null);
    }
}
