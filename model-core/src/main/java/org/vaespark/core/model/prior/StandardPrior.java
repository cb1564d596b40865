package org.vaespark.core.model.prior;

import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.graph.Graph;

/** p(z) = N(0, I). */
public final class StandardPrior implements Prior {
    private final int dim;

    public StandardPrior(int dim) {
        this.dim = dim;
    }

    @Override
    public SDVariable logDensity(Graph g, SDVariable z) {
        return g.logStandardNormal(z, 2, dim);
    }
}
