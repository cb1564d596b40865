package org.vaespark.core.linear;

import java.util.Random;
import org.vaespark.core.errors.Errors;

/**
 * Trains a {@link LinearVae} by full-batch Adam (Kingma &amp; Ba 2015) on its analytic mean ELBO: the data enter
 * only through their {@link Moments}, so a step costs two D x D by D x d products whatever N is. The noise
 * variance σ² is learned, or fixed for the collapse sweep. W and V start from N(0, init-scale²) (small and
 * random, off the saddle at 0), b and a at 0, the posterior variances at 1.
 */
public final class LinearVaeTrainer {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final LinearVaeConfig config;

    public LinearVaeTrainer(LinearVaeConfig config) {
        this.config = config;
    }

    /** Fits with σ² learned. */
    public LinearVae fit(Moments data) {
        return fit(data, Double.NaN, config.steps());
    }

    /** Fits with σ² fixed at {@code fixedNoise} for {@code ppca.collapse-steps} steps. */
    public LinearVae fit(Moments data, double fixedNoise) {
        return fit(data, fixedNoise, config.collapseSteps());
    }

    private LinearVae fit(Moments data, double fixedNoise, int steps) {
        int dim = data.dimension();
        int d = config.latentDim();
        if (d >= dim) {
            throw Errors.badConfigValue("ppca.latent-dim", d, "a value below the data's " + dim + " dimensions");
        }
        Random random = new Random(config.seed());
        double[] theta = new double[LinearVae.size(dim, d)];
        LinearVae model = new LinearVae(dim, d, theta);
        for (int i = 0; i < dim * d; i++) {
            theta[i] = config.initScale() * random.nextGaussian();
        }
        int offV = dim * d + dim;
        for (int i = 0; i < d * dim; i++) {
            theta[offV + i] = config.initScale() * random.nextGaussian();
        }
        boolean learnNoise = Double.isNaN(fixedNoise);
        model.setLogNoiseVariance(learnNoise ? 0 : Math.log(fixedNoise));
        double[] m1 = new double[theta.length];
        double[] m2 = new double[theta.length];
        int last = theta.length - 1;
        for (int t = 0; t < steps; t++) {
            double[] g = model.gradient(data);
            if (!learnNoise) {
                g[last] = 0;
            }
            double lr = config.learningRate(t, steps);
            double c1 = 1 - Math.pow(BETA1, t + 1);
            double c2 = 1 - Math.pow(BETA2, t + 1);
            for (int i = 0; i < theta.length; i++) {
                m1[i] = BETA1 * m1[i] + (1 - BETA1) * g[i];
                m2[i] = BETA2 * m2[i] + (1 - BETA2) * g[i] * g[i];
                theta[i] += lr * (m1[i] / c1) / (Math.sqrt(m2[i] / c2) + EPSILON);
            }
            if (!Double.isFinite(theta[last]) || !Double.isFinite(theta[0])) {
                throw Errors.numericalFailure("linear VAE step " + t, "the parameters are no longer finite",
                        "lower ppca.learning-rate (now " + config.learningRate() + ")");
            }
        }
        return model;
    }
}
