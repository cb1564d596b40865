package org.vaespark.core.model;

import com.typesafe.config.Config;
import java.io.Serializable;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;

/**
 * The objective: {@code model.objective.*} and {@code model.beta}.
 *
 * @param kind           ELBO, IWAE-k or MMD
 * @param beta           weight of the KL term (beta-VAE, Higgins et al. 2017); 1 is the ELBO
 * @param warmupEpochs   KL warm-up: the weight rises linearly from 0 to beta over this many epochs (0 = off; Sønderby et al. 2016)
 * @param freeBits       free bits lambda in nats per latent group (0 = off; Kingma et al. 2016)
 * @param freeBitsGroups latent groups K for free bits (must divide the latent dimension)
 * @param mmdAlpha       InfoVAE alpha
 * @param mmdLambda      InfoVAE lambda
 * @param mmdKernel      kernel of the MMD estimate
 * @param mmdScale       kernel scale s
 */
public record ObjectiveSpec(ObjectiveKind kind, double beta, double warmupEpochs, double freeBits, int freeBitsGroups,
                            double mmdAlpha, double mmdLambda, MmdKernel mmdKernel, double mmdScale) implements Serializable {

    public ObjectiveSpec {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw Errors.badConfigValue("model.beta", beta, "a finite number >= 0");
        }
        if (!(warmupEpochs >= 0) || Double.isInfinite(warmupEpochs)) {
            throw Errors.badConfigValue("model.objective.warmup-epochs", warmupEpochs, "a finite number >= 0 (0 = no warm-up)");
        }
        if (!(freeBits >= 0) || Double.isInfinite(freeBits)) {
            throw Errors.badConfigValue("model.objective.free-bits", freeBits, "a finite number of nats >= 0 (0 = off)");
        }
        if (kind != ObjectiveKind.ELBO && beta != 1) {
            throw Errors.badConfigValue("model.beta", beta, "1 with model.objective.kind = " + kind.name().toLowerCase()
                    + (kind == ObjectiveKind.IWAE ? " (the IWAE bound has no separate KL term to weight)"
                    : " (the InfoVAE KL weight is 1 - model.objective.mmd.alpha)") + ", or model.objective.kind = elbo");
        }
        if (kind != ObjectiveKind.ELBO && warmupEpochs != 0) {
            throw Errors.badConfigValue("model.objective.warmup-epochs", warmupEpochs, "0 with model.objective.kind = "
                    + kind.name().toLowerCase() + " (KL warm-up ramps model.beta, which only the elbo objective has)");
        }
        if (kind == ObjectiveKind.IWAE && freeBits != 0) {
            throw Errors.badConfigValue("model.objective.free-bits", freeBits,
                    "0 with model.objective.kind = iwae (the IWAE bound has no separate KL term)");
        }
    }

    public static ObjectiveSpec elbo(double beta) {
        return new ObjectiveSpec(ObjectiveKind.ELBO, beta, 0, 0, 1, 0, 1, MmdKernel.IMQ, 1);
    }

    public static ObjectiveSpec from(Config c) {
        return new ObjectiveSpec(Keys.enumValue(c, "model.objective.kind", ObjectiveKind.class),
                Keys.nonNegativeDouble(c, "model.beta"), Keys.nonNegativeDouble(c, "model.objective.warmup-epochs"),
                Keys.nonNegativeDouble(c, "model.objective.free-bits"), Keys.positiveInt(c, "model.objective.free-bits-groups"),
                Keys.doubleValue(c, "model.objective.mmd.alpha"), Keys.doubleValue(c, "model.objective.mmd.lambda"),
                Keys.enumValue(c, "model.objective.mmd.kernel", MmdKernel.class), Keys.positiveDouble(c, "model.objective.mmd.scale"));
    }

    /**
     * The KL weight at a point of training: beta, ramped linearly from 0 over the warm-up.
     *
     * @param epochs training progress in epochs (fractional)
     */
    public double betaAt(double epochs) {
        if (warmupEpochs <= 0) {
            return beta;
        }
        return beta * Math.min(1.0, epochs / warmupEpochs);
    }
}
