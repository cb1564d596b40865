package org.vaespark.core.linear;

import com.typesafe.config.Config;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;

/**
 * The {@code ppca.*} keys of the linear VAE / PPCA comparison (Lucas et al. 2019): the latent size d shared by
 * both models, the linear VAE's full-batch Adam schedule on its analytic ELBO, the initialisation and the seed,
 * the tolerance its exact log p(x) must reach against PPCA's maximum, and the collapse sweep.
 *
 * @param collapseActive the σ² sweep: for each k, σ² is fixed at √(λ_k λ_{k+1}), between the k-th and
 *                       (k+1)-th eigenvalues (at 2 λ_1 for k = 0), so theory leaves exactly k of the d dimensions active
 * @param collapseKlNats a latent dimension whose mean KL is below this counts as collapsed
 * @param collapseSteps  Adam steps of each fixed-σ² run of the sweep (the KLs settle long before the rotation
 *                       within the subspace does, which only the main comparison needs)
 */
public record LinearVaeConfig(int latentDim, int steps, double learningRate, double finalLearningRate, double initScale,
                              long seed, double toleranceNats, java.util.List<Integer> collapseActive,
                              double collapseKlNats, int collapseSteps) {
    public LinearVaeConfig {
        if (latentDim < 1) {
            throw Errors.badConfigValue("ppca.latent-dim", latentDim, "a positive integer smaller than the pixel count");
        }
        if (steps < 1) {
            throw Errors.badConfigValue("ppca.steps", steps, "a positive integer");
        }
        if (!(finalLearningRate > 0) || finalLearningRate > learningRate) {
            throw Errors.badConfigValue("ppca.final-learning-rate", finalLearningRate, "a positive value at most ppca.learning-rate (" + learningRate + ")");
        }
        for (int k : collapseActive) {
            if (k < 0 || k >= latentDim) {
                throw Errors.badConfigValue("ppca.collapse-active", collapseActive, "active counts in [0, ppca.latent-dim - 1 = " + (latentDim - 1) + "]");
            }
        }
        if (collapseSteps < 1) {
            throw Errors.badConfigValue("ppca.collapse-steps", collapseSteps, "a positive integer");
        }
        collapseActive = java.util.List.copyOf(collapseActive);
    }

    public static LinearVaeConfig from(Config c) {
        return new LinearVaeConfig(Keys.positiveInt(c, "ppca.latent-dim"), Keys.positiveInt(c, "ppca.steps"),
                Keys.positiveDouble(c, "ppca.learning-rate"), Keys.positiveDouble(c, "ppca.final-learning-rate"),
                Keys.positiveDouble(c, "ppca.init-scale"), Keys.longValue(c, "ppca.seed"),
                Keys.positiveDouble(c, "ppca.tolerance-nats"), c.getIntList("ppca.collapse-active"),
                Keys.positiveDouble(c, "ppca.collapse-kl-nats"), Keys.positiveInt(c, "ppca.collapse-steps"));
    }

    /** The step size of step t (0-based) of a run of {@code total} steps: geometric from learning-rate to final-learning-rate. */
    double learningRate(int t, int total) {
        double f = total == 1 ? 0 : (double) t / (total - 1);
        return learningRate * Math.pow(finalLearningRate / learningRate, f);
    }
}
