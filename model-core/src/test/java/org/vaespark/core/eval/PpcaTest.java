package org.vaespark.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.GaussianVariance;
import org.vaespark.core.model.Likelihood;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.tensor.NamedArrays;

/**
 * A linear-Gaussian VAE is probabilistic PCA (Tipping &amp; Bishop 1999): x = W z + b + noise,
 * z ~ N(0, I), noise ~ N(0, s2 I), so log p(x) = log N(x; b, W W^T + s2 I) in closed form.
 * With W's columns orthogonal, the exact posterior is a diagonal Gaussian with a linear mean:
 * an encoder set to it makes every importance weight equal p(x). A perturbed encoder gives
 * IWAE-k estimates that rise towards log p(x) as k grows (Burda et al. 2016, Theorem 1).
 */
class PpcaTest {
    static final int D = 6;
    static final int LATENT = 2;
    static final double S2 = 0.3;
    static final VaeConfig CONFIG = VaeConfig.mlp(D, List.of(), List.of(), LATENT, Activation.RELU,
            Likelihood.GAUSSIAN, GaussianVariance.FIXED, S2, 1.0);

    /** W [D, LATENT] with orthogonal columns of norms 2 and 1.2; b a fixed offset. */
    static final double[][] W = new double[D][LATENT];
    static final double[] B = {0.1, -0.2, 0.3, 0.0, 0.5, -0.4};

    static {
        double[] u = {1, 1, 1, 1, 1, 1};
        double[] v = {1, -1, 1, -1, 1, -1};
        for (int i = 0; i < D; i++) {
            W[i][0] = 2 * u[i] / Math.sqrt(6);
            W[i][1] = 1.2 * v[i] / Math.sqrt(6);
        }
    }

    @Test
    void exactPosteriorMakesEveryImportanceWeightEqualTheMarginal() {
        Vae vae = Vae.withParameters(CONFIG, parameters(0.0, 0.0));
        float[] x = data(5);
        long[] ids = {0, 1, 2, 3, 4};
        ExampleEstimate[] est = new IwaeEstimator(vae, 64, 16, 9).estimate(ids, x);
        for (int n = 0; n < ids.length; n++) {
            double exact = exactLogMarginal(x, n);
            assertEquals(exact, est[n].logLikelihood(), 2e-4 * Math.abs(exact), "IWAE, example " + n);
            assertEquals(exact, est[n].elbo(), 2e-4 * Math.abs(exact), "ELBO with the exact posterior, example " + n);
        }
    }

    @Test
    void iwaeWithAPerturbedEncoderApproachesTheExactLogLikelihoodAsKGrows() {
        Vae vae = Vae.withParameters(CONFIG, parameters(0.6, 1.2));
        int n = 40;
        float[] x = data(n);
        long[] ids = java.util.stream.LongStream.range(0, n).toArray();
        double exact = 0;
        for (int i = 0; i < n; i++) {
            exact += exactLogMarginal(x, i) / n;
        }
        double previousGap = Double.POSITIVE_INFINITY;
        for (int k : new int[]{1, 10, 100, 1000, 5000}) {
            ExampleEstimate[] est = new IwaeEstimator(vae, k, 500, 3).estimate(ids, x);
            double mean = 0;
            for (ExampleEstimate e : est) {
                mean += e.logLikelihood() / n;
            }
            double gap = exact - mean;
            assertTrue(gap > -0.01, "IWAE-" + k + " above log p(x) by " + -gap);
            assertTrue(gap < previousGap, "gap did not shrink at k=" + k + ": " + gap + " vs " + previousGap);
            previousGap = gap;
        }
        assertTrue(previousGap < 0.02, "IWAE-5000 still " + previousGap + " nats below log p(x)");
    }

    /** Parameters: exact posterior, then mean shifted by {@code shift} and log-variance by {@code inflate}. */
    static NamedArrays parameters(double shift, double inflate) {
        double[] postVar = new double[LATENT];
        for (int j = 0; j < LATENT; j++) {
            double wtw = 0;
            for (int i = 0; i < D; i++) {
                wtw += W[i][j] * W[i][j];
            }
            postVar[j] = 1.0 / (1.0 + wtw / S2);
        }
        float[] encW = new float[D * LATENT];
        float[] encB = new float[LATENT];
        float[] logvarB = new float[LATENT];
        for (int j = 0; j < LATENT; j++) {
            double bias = 0;
            for (int i = 0; i < D; i++) {
                double a = W[i][j] * postVar[j] / S2;
                encW[i * LATENT + j] = (float) a;
                bias -= B[i] * a;
            }
            encB[j] = (float) (bias + shift);
            logvarB[j] = (float) (Math.log(postVar[j]) + inflate);
        }
        float[] decW = new float[LATENT * D];
        float[] decB = new float[D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < LATENT; j++) {
                decW[j * D + i] = (float) W[i][j];
            }
            decB[i] = (float) B[i];
        }
        return NamedArrays.builder()
                .put(VaeNames.ENC_MU_W, new long[]{D, LATENT}, encW).put(VaeNames.ENC_MU_B, new long[]{LATENT}, encB)
                .put(VaeNames.ENC_LOGVAR_W, new long[]{D, LATENT}, new float[D * LATENT]).put(VaeNames.ENC_LOGVAR_B, new long[]{LATENT}, logvarB)
                .put(VaeNames.DEC_OUT_W, new long[]{LATENT, D}, decW).put(VaeNames.DEC_OUT_B, new long[]{D}, decB)
                .build();
    }

    /** Samples from the model itself. */
    static float[] data(int n) {
        SplittableRandom r = new SplittableRandom(17);
        float[] x = new float[n * D];
        for (int s = 0; s < n; s++) {
            double z0 = gaussian(r);
            double z1 = gaussian(r);
            for (int i = 0; i < D; i++) {
                x[s * D + i] = (float) (W[i][0] * z0 + W[i][1] * z1 + B[i] + Math.sqrt(S2) * gaussian(r));
            }
        }
        return x;
    }

    /** log N(x; b, W W^T + s2 I) by Cholesky, in double precision. */
    static double exactLogMarginal(float[] x, int n) {
        double[][] c = new double[D][D];
        for (int i = 0; i < D; i++) {
            for (int k = 0; k < D; k++) {
                double s = i == k ? S2 : 0;
                for (int j = 0; j < LATENT; j++) {
                    s += W[i][j] * W[k][j];
                }
                c[i][k] = s;
            }
        }
        double[][] l = new double[D][D];
        for (int i = 0; i < D; i++) {
            for (int k = 0; k <= i; k++) {
                double s = c[i][k];
                for (int j = 0; j < k; j++) {
                    s -= l[i][j] * l[k][j];
                }
                l[i][k] = i == k ? Math.sqrt(s) : s / l[k][k];
            }
        }
        double[] y = new double[D];
        double logDet = 0;
        double quad = 0;
        for (int i = 0; i < D; i++) {
            double s = x[n * D + i] - B[i];
            for (int j = 0; j < i; j++) {
                s -= l[i][j] * y[j];
            }
            y[i] = s / l[i][i];
            quad += y[i] * y[i];
            logDet += 2 * Math.log(l[i][i]);
        }
        return -0.5 * (quad + logDet + D * Math.log(2 * Math.PI));
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
