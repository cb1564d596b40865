package org.vaespark.core.model.objective;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.vaespark.core.model.ObjectiveSpec;
import org.vaespark.core.model.graph.Graph;

/**
 * The KL term of the ELBO, with free bits when {@code model.objective.free-bits} = lambda > 0
 * (Kingma et al. 2016, eq. 15): the d latents split into K contiguous groups, and the term is
 * sum_g max(lambda, KL_g), KL_g the minibatch mean of group g's KL. max(lambda, v) is written
 * lambda + relu(v - lambda). Only the closed-form KL of a diagonal Gaussian against N(0, I)
 * splits by dimension; every other model has K = 1 and the Monte-Carlo KL log q(z|x) - log p(z).
 */
final class FreeBits {
    private FreeBits() {
    }

    /** The minibatch KL term, a scalar: mean KL without free bits, else sum_g max(lambda, KL_g). */
    static SDVariable klTerm(Graph g, Terms t) {
        SameDiff sd = g.sd();
        ObjectiveSpec o = g.config().objective();
        SDVariable total = t.klAnalytic() != null ? t.klAnalytic().mean() : t.logQz().sub(t.logPz()).mean();
        if (o.freeBits() <= 0) {
            return total;
        }
        int groups = o.freeBitsGroups();
        int d = g.config().latentDim();
        int width = d / groups;
        SDVariable term = null;
        SDVariable others = null;
        for (int k = 0; k < groups; k++) {
            SDVariable klGroup;
            if (k < groups - 1) {
                // Per-dimension KL -1/2 (1 + logvar - mu^2 - exp(logvar)) of this group's columns; the mean over
                // [B, width] times width is the minibatch mean of the group's sum (full reductions only).
                SDVariable mu = sd.slice(t.mean(), new int[]{0, k * width}, -1, width);
                SDVariable logvar = sd.slice(t.logvar(), new int[]{0, k * width}, -1, width);
                SDVariable perDim = logvar.add(1.0).sub(mu.mul(mu)).sub(sd.math.exp(logvar)).mul(-0.5);
                klGroup = perDim.mean().mul(width);
                others = others == null ? klGroup : others.add(klGroup);
            } else {
                // The last group as the total minus the others: the same value, and it keeps the KL output on the
                // loss path (Vae#step can only return outputs the loss depends on).
                klGroup = others == null ? total : total.sub(others);
            }
            SDVariable hinge = sd.nn.relu(klGroup.sub(o.freeBits()), 0).add(o.freeBits());
            term = term == null ? hinge : term.add(hinge);
        }
        return term;
    }
}
