package org.vaespark.core.model.flow;

import org.vaespark.core.model.VaeConfig;

/** Builds the posterior flow a configuration names. */
public final class Flows {
    private Flows() {
    }

    /** The flow on top of q_0(z|x) for a latent of {@code dim}, amortised from encoder features of {@code contextWidth}. */
    public static PosteriorFlow create(VaeConfig c, int dim, int contextWidth) {
        return switch (c.posterior().kind()) {
            case GAUSSIAN -> (g, z0, context) -> null;
            case PLANAR -> new PlanarFlow(dim, contextWidth, c.posterior().length());
            case IAF -> new InverseAutoregressiveFlow(dim, contextWidth, c.posterior().length(), c.posterior().madeHidden(),
                    c.posterior().contextDim(), c.activation());
        };
    }
}
