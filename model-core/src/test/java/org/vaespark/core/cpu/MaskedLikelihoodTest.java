package org.vaespark.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.GaussianVariance;
import org.vaespark.core.model.Likelihood;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The observed-values likelihood of {@link LocalPosterior} (non-amortized imputation, Agarwal et al. 2023) on a
 * small Bernoulli MLP with random parameters: log p(x_w|z) equals the per-pixel Bernoulli log-probabilities of the
 * decoder's means summed over the values of weight 1, and the ELBO gradient with weights matches central finite
 * differences of that ELBO on fixed noise.
 */
class MaskedLikelihoodTest {
    private static final int D = 8;
    private static final int B = 2;
    private static final int S = 3;
    private static final VaeConfig CONFIG = VaeConfig.mlp(D, List.of(5), List.of(6), 3, Activation.TANH, Likelihood.BERNOULLI,
            GaussianVariance.FIXED, 1.0, 1.0);

    @Test
    void weightedLikelihoodIsTheSumOverWeightedPixelsAndItsGradientIsRight() {
        NamedArrays params = ModelDescription.layout(CONFIG).initialise(4);
        LocalPosterior local = new LocalPosterior(CONFIG, params);
        SplittableRandom r = new SplittableRandom(9);
        float[] x = new float[B * D];
        float[] w = new float[B * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextBoolean() ? 1f : 0f;
            w[i] = r.nextDouble() < 0.6 ? 1f : 0f;
        }
        int d = CONFIG.latentDim();
        float[] eps = new float[S * B * CONFIG.noiseDim()];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) (r.nextDouble() * 2 - 1);
        }
        LocalPosterior.Diagonal q = new LocalPosterior.Diagonal(new float[B * d], new float[B * d]);
        for (int i = 0; i < B * d; i++) {
            q.mean()[i] = (float) (r.nextDouble() - 0.5);
            q.logvar()[i] = (float) (r.nextDouble() - 1.0);
        }
        float[] logPx = new float[S * B];
        local.logLikelihoods(x, B, q, eps, S, null, w, logPx);
        float[] means = local.decoderMeans(q, B, eps, S, null);
        for (int row = 0; row < S * B; row++) {
            double expected = 0;
            int b = row % B;
            for (int i = 0; i < D; i++) {
                double mu = means[row * D + i];
                expected += w[b * D + i] * (x[b * D + i] == 1f ? Math.log(mu) : Math.log(1 - mu));
            }
            assertEquals(expected, logPx[row], 1e-4, "log p(x_w|z) of row " + row);
        }

        double[] elbo = new double[B];
        float[] dMean = new float[B * d];
        float[] dLogvar = new float[B * d];
        local.elboGradient(x, B, q, eps, S, null, w, elbo, dMean, dLogvar);
        double h = 1e-2;
        for (int i = 0; i < B * d; i++) {
            for (float[] moment : new float[][]{q.mean(), q.logvar()}) {
                float keep = moment[i];
                moment[i] = (float) (keep + h);
                double up = totalElbo(local, x, q, eps, w);
                moment[i] = (float) (keep - h);
                double down = totalElbo(local, x, q, eps, w);
                moment[i] = keep;
                double numeric = -(up - down) / (2 * h);
                double analytic = moment == q.mean() ? dMean[i] : dLogvar[i];
                assertEquals(numeric, analytic, 2e-3 + 2e-2 * Math.abs(numeric), "d(-ELBO) / d moment " + i);
            }
        }
    }

    private static double totalElbo(LocalPosterior local, float[] x, LocalPosterior.Diagonal q, float[] eps, float[] w) {
        double[] elbo = new double[B];
        local.elboGradient(x, B, q, eps, S, null, w, elbo, new float[q.mean().length], new float[q.mean().length]);
        return elbo[0] + elbo[1];
    }
}
