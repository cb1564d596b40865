package org.vaespark.core.model.likelihood;

import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.graph.Graph;

/** Bernoulli from logits l: x log sigma(l) + (1 - x) log sigma(-l) = x l - softplus(l) (docs/math.md, Likelihoods). */
public final class BernoulliLikelihood implements ObservationModel {
    private final int dim;

    public BernoulliLikelihood(int dim) {
        this.dim = dim;
    }

    @Override
    public int outputWidth() {
        return dim;
    }

    @Override
    public SDVariable logProb(Graph g, SDVariable x, SDVariable out) {
        return g.sumLast(out.mul(x).sub(g.softplus(out)), 2, dim);
    }

    /** E[x] = sigma(l). */
    @Override
    public SDVariable mean(Graph g, SDVariable out) {
        return g.sd().nn.sigmoid(out);
    }
}
