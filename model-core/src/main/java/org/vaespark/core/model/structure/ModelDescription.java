package org.vaespark.core.model.structure;

import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeConfig;

/**
 * The one home of a model's structure: which {@link Structure} a configuration has (and through it
 * its encoder, flow, prior, decoder and likelihood) and the parameters those components declare.
 * Both executors read it: the SameDiff graph builds from the same structure, the CPU executor
 * allocates the same {@link ParameterLayout}. It depends on neither.
 */
public final class ModelDescription {
    private ModelDescription() {
    }

    /** The structure of a configuration (its combination of settings is checked by the config). */
    public static Structure structure(VaeConfig c) {
        return switch (c.kind()) {
            case VAE, CVAE -> new OneLayerVae(c);
            case HVAE -> new HierarchicalVae(c);
            case M2 -> new SemiSupervisedVae(c);
            case MVAE -> new MultimodalVae(c);
        };
    }

    /** Why the SameDiff graph cannot build this model, or null when it can. */
    public static String graphUnavailable(VaeConfig c) {
        return c.kind() == org.vaespark.core.model.ModelKind.MVAE ? MultimodalVae.NO_GRAPH : null;
    }

    /** The parameter names, shapes and initialisers {@code c} implies, in graph order. */
    public static ParameterLayout layout(VaeConfig c) {
        ParameterLayout layout = new ParameterLayout();
        structure(c).declare(layout);
        return layout;
    }

    /** Throws {@link UnsupportedOperationException} with {@link VaeConfig#decoderMeanUnavailable}'s reason. */
    public static void requireDecoderMean(VaeConfig c) {
        String reason = c.decoderMeanUnavailable();
        if (reason != null) {
            throw new UnsupportedOperationException(reason);
        }
    }
}
