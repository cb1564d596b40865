package org.vaespark.core.model.likelihood;

import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.GaussianVariance;
import org.vaespark.core.model.LikelihoodSpec;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.Init;

/** Gaussian N(x; mean, sigma^2) per value, sigma^2 fixed or one learned scalar ({@code dec_logvar}). */
public final class GaussianLikelihood implements ObservationModel {
    private final int dim;
    private final LikelihoodSpec spec;

    public GaussianLikelihood(int dim, LikelihoodSpec spec) {
        this.dim = dim;
        this.spec = spec;
    }

    @Override
    public void declare(ParameterLayout p) {
        if (spec.variance() == GaussianVariance.LEARNED) {
            p.add(VaeNames.DEC_LOGVAR, new long[]{1}, Init.ZEROS);
        }
    }

    @Override
    public int outputWidth() {
        return dim;
    }

    @Override
    public SDVariable logProb(Graph g, SDVariable x, SDVariable out) {
        SDVariable diff = out.sub(x);
        SDVariable perValue;
        if (spec.variance() == GaussianVariance.FIXED) {
            double var = spec.fixedVariance();
            perValue = diff.mul(diff).mul(-0.5 / var).sub(0.5 * Math.log(var) + Graph.HALF_LOG_2PI);
        } else {
            SDVariable logvar = g.param(VaeNames.DEC_LOGVAR);
            perValue = diff.mul(diff).mul(g.sd().math.exp(logvar.neg())).add(logvar).mul(-0.5).sub(Graph.HALF_LOG_2PI);
        }
        return g.sumLast(perValue, 2, dim);
    }

    /** E[x] = the decoder's mean output (not clipped: a Gaussian puts mass outside [0, 1]). */
    @Override
    public SDVariable mean(Graph g, SDVariable out) {
        return out;
    }
}
