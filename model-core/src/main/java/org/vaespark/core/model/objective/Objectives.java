package org.vaespark.core.model.objective;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;

/**
 * Training losses (to minimise) from the per-sample {@link Terms}; formulas in SCIENCE.md.
 * Every reduction over examples and samples is a full reduction: SameDiff M2.1 fails on a
 * reduction over an axis of length 1 (S = 1).
 */
public final class Objectives {
    private Objectives() {
    }

    /** The loss, named {@link VaeNames#LOSS}. The KL weight is the {@link VaeNames#BETA} placeholder. */
    public static SDVariable loss(Graph g, Terms t) {
        VaeConfig c = g.config();
        SDVariable loss = switch (c.objective().kind()) {
            case ELBO -> elbo(g, t);
            case IWAE, MMD -> throw new UnsupportedOperationException("objective " + c.objective().kind() + ": not built yet");
        };
        return g.sd().identity(VaeNames.LOSS, loss);
    }

    /** -(E[log p(x|z)] - beta * KL), KL analytic when it exists, else the Monte-Carlo log q(z|x) - log p(z). */
    private static SDVariable elbo(Graph g, Terms t) {
        SDVariable kl = t.klAnalytic() != null ? t.klAnalytic().mean() : t.logQz().sub(t.logPz()).mean();
        return t.logPx().mean().sub(kl.mul(g.beta())).neg();
    }

    /**
     * Outputs on the loss path from which {@code Vae#elbo} computes the per-example training ELBO:
     * (LOG_PX_Z, KL) when the KL is analytic, else (LOG_PX_Z, LOG_PZ, LOG_QZ_X).
     */
    public static List<String> trainingOutputs(VaeConfig c) {
        return c.analyticKl() && c.objective().kind() == ObjectiveKind.ELBO
                ? List.of(VaeNames.LOG_PX_Z, VaeNames.KL)
                : List.of(VaeNames.LOG_PX_Z, VaeNames.LOG_PZ, VaeNames.LOG_QZ_X);
    }
}
