package org.vaespark.core.model.objective;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.ObjectiveKind;
import org.vaespark.core.model.ObjectiveSpec;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;

/**
 * Training losses (to minimise) from the per-sample {@link Terms}; formulas in docs/math.md, Training objectives.
 * Every reduction over examples and samples is a full reduction (or, in {@link Iwae}, over a
 * padded axis): SameDiff M2.1 fails on a reduction over an axis of length 1 (S = 1).
 */
public final class Objectives {
    private Objectives() {
    }

    /** The loss, named {@link VaeNames#LOSS}. The ELBO's KL weight is the {@link VaeNames#BETA} placeholder. */
    public static SDVariable loss(Graph g, Terms t) {
        VaeConfig c = g.config();
        SDVariable loss = switch (c.objective().kind()) {
            case ELBO -> elbo(g, t);
            case IWAE -> Iwae.loss(g.sd(), t);
            case MMD -> infoVae(g, t);
        };
        return g.sd().identity(VaeNames.LOSS, loss);
    }

    /**
     * -(E[log p(x|z)] - beta * KL) (beta-VAE, Higgins et al. 2017; warm-up feeds a rising beta),
     * KL analytic when it exists, else the Monte-Carlo log q(z|x) - log p(z); with free bits the
     * KL is sum_g max(lambda, KL_g) ({@link FreeBits}).
     */
    private static SDVariable elbo(Graph g, Terms t) {
        return t.logPx().mean().sub(FreeBits.klTerm(g, t).mul(g.beta())).neg();
    }

    /**
     * InfoVAE (Zhao et al. 2019, eq. 6): -E[log p(x|z)] + (1 - alpha) KL + (alpha + lambda - 1) MMD(q(z), p(z)),
     * the MMD between the S * B posterior samples of the minibatch and as many N(0, I) samples,
     * the last d columns of the noise ({@link VaeConfig#noiseDim()}).
     */
    private static SDVariable infoVae(Graph g, Terms t) {
        VaeConfig c = g.config();
        ObjectiveSpec o = c.objective();
        int d = c.priorDim();
        SDVariable q = g.flattenSamples(t.z(), d);
        SDVariable p = g.flattenSamples(g.noise(c.noiseDim() - d, d), d);
        SDVariable mmd = Mmd.biased(g.sd(), q, p, d, o.mmdKernel(), o.mmdScale());
        return t.logPx().mean().neg().add(FreeBits.klTerm(g, t).mul(1 - o.mmdAlpha()))
                .add(mmd.mul(o.mmdAlpha() + o.mmdLambda() - 1));
    }

    /**
     * Outputs on the loss path from which {@code Vae#elbo} computes the per-example training ELBO
     * (the true ELBO, whatever the objective and its weights): (LOG_PX_Z, KL) when the loss uses
     * the analytic KL, else (LOG_PX_Z, LOG_PZ, LOG_QZ_X).
     */
    public static List<String> trainingOutputs(VaeConfig c) {
        return c.analyticKl() && c.objective().kind() != ObjectiveKind.IWAE
                ? List.of(VaeNames.LOG_PX_Z, VaeNames.KL)
                : List.of(VaeNames.LOG_PX_Z, VaeNames.LOG_PZ, VaeNames.LOG_QZ_X);
    }
}
