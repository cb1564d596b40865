package org.vaespark.core.model.prior;

import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.Init;

/**
 * The mixture-of-Gaussians prior p(z) = (1/K) sum_k N(z; mu_k, diag sigma_k^2) with trainable
 * means and log-variances, the baseline prior of Tomczak &amp; Welling 2018 (Sec. 2.2).
 * Means start as independent N(0, 1) draws (so the components are spread out), log-variances
 * at 0.
 */
public final class MixtureOfGaussiansPrior implements Prior {
    /** Component means, [K, d]. */
    public static final String MEANS = "prior_mog_means";
    /** Component log-variances, [K, d]. */
    public static final String LOGVARS = "prior_mog_logvars";

    private final int dim;
    private final int components;

    public MixtureOfGaussiansPrior(int dim, int components) {
        this.dim = dim;
        this.components = components;
    }

    @Override
    public void declare(ParameterLayout p) {
        p.add(MEANS, new long[]{components, dim}, new Init.Normal(0, 1));
        p.add(LOGVARS, new long[]{components, dim}, Init.ZEROS);
    }

    @Override
    public SDVariable logDensity(Graph g, SDVariable z) {
        return DiagonalGaussianMixture.logDensity(g, z, g.param(MEANS), g.param(LOGVARS), dim, components);
    }
}
