package org.vaespark.core.model;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;
import org.vaespark.core.config.Keys;

/**
 * The prior: {@code model.prior.*}.
 *
 * @param kind          standard, mixture of Gaussians, VampPrior or flow
 * @param components    K, mixture components or pseudo-inputs
 * @param pseudoInit    how pseudo-inputs are initialised
 * @param hardTanh      pass pseudo-inputs through hardtanh(0, 1) before the encoder, as in the paper
 * @param pseudoMean    mean of randomly initialised pseudo-inputs
 * @param pseudoStd     standard deviation of randomly initialised pseudo-inputs
 * @param flowSteps     MADE layers of the flow prior
 * @param flowHidden    hidden widths of each MADE
 */
public record PriorSpec(PriorKind kind, int components, PseudoInputInit pseudoInit, boolean hardTanh,
                        double pseudoMean, double pseudoStd, int flowSteps, List<Integer> flowHidden)
        implements Serializable {

    public PriorSpec {
        flowHidden = List.copyOf(flowHidden);
    }

    public static PriorSpec standard() {
        return new PriorSpec(PriorKind.STANDARD, 500, PseudoInputInit.DATA, true, 0.05, 0.01, 2, List.of(200));
    }

    public static PriorSpec from(Config c) {
        return new PriorSpec(Keys.enumValue(c, "model.prior.kind", PriorKind.class),
                Keys.positiveInt(c, "model.prior.components"),
                Keys.enumValue(c, "model.prior.pseudo-inputs.init", PseudoInputInit.class),
                Keys.bool(c, "model.prior.pseudo-inputs.hard-tanh"),
                Keys.doubleValue(c, "model.prior.pseudo-inputs.random-mean"),
                Keys.positiveDouble(c, "model.prior.pseudo-inputs.random-std"),
                Keys.positiveInt(c, "model.prior.flow.steps"),
                Keys.positiveIntList(c, "model.prior.flow.hidden"));
    }
}
