package org.vaespark.core.model.prior;

import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.graph.Graph;

/** A prior density p(z), every constant kept (docs/math.md, Priors: mixture priors and flows need them). */
public interface Prior {
    default void declare(ParameterLayout layout) {
    }

    /** log p(z) per sample: z [S, B, d] to [S, B]. */
    SDVariable logDensity(Graph g, SDVariable z);
}
