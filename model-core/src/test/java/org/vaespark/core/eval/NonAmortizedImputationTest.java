package org.vaespark.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.VaeConfig;

/**
 * Non-amortized imputation (Agarwal et al. 2023) on the linear-Gaussian model of {@link PpcaTest}, where
 * p(x_m | x_o) is Gaussian in closed form. With pixels 4 and 5 missing, the observed rows of W keep orthogonal
 * columns, so p(z | x_o) is a diagonal Gaussian: the refined q_ψ can reach it, and then E_q[p(x_m | z)] = p(x_m | x_o)
 * exactly. The encoder is deliberately perturbed (mean +0.6, log-variance +1.2) and sees the missing pixels at the
 * training mean, so the start is far off; the refinement must do the work on the observed pixels alone.
 */
class NonAmortizedImputationTest {
    private static final int N = 8;
    private static final int[] HIDDEN = {4, 5};
    private static final ImputationConfig MASK = new ImputationConfig(ImputationMask.BOTTOM_HALF, 0.5, 1, 7);
    /** Long and fine enough that Adam's jitter on the moments is well below the tolerance. */
    private static final NonAmortizedConfig REFINE = new NonAmortizedConfig(3000, 0.001, 50, 4000);
    /**
     * |log (1/S) Σ p(x_m | z_s) − log p(x_m | x_o)| in nats, per example: S = 4000 draws from the exact posterior give a
     * Monte-Carlo error of about a hundredth of a nat; Adam's jitter adds less.
     */
    private static final double TOLERANCE = 0.05;
    /** The estimator at the perturbed encoder's output must be off by more than this on average (nats). */
    private static final double START_MARGIN = 0.3;

    @Test
    void refinedMaskedLikelihoodApproachesTheExactConditional() {
        float[] x = PpcaTest.data(N);
        long[] ids = LongStream.range(0, N).toArray();
        float[] fill = trainingMean();
        VaeConfig c = PpcaTest.CONFIG;
        ImputationComparison[] refined = new NonAmortizedImputation(c, PpcaTest.parameters(0.6, 1.2), MASK, REFINE, false)
                .compare(ids, x, null, fill, batch(x));
        ImputationComparison[] start = new NonAmortizedImputation(c, PpcaTest.parameters(0.6, 1.2), MASK,
                new NonAmortizedConfig(1, 1e-9, 1, 4000), false).compare(ids, x, null, fill, batch(x));
        double startError = 0;
        double worst = 0;
        double mse = 0;
        double mseStart = 0;
        for (int n = 0; n < N; n++) {
            double exact = conditional(x, n);
            assertEquals(exact, refined[n].refinedLogLik(), TOLERANCE, "masked log-likelihood of q_ψ, example " + n);
            assertTrue(refined[n].observedElboEnd() > refined[n].observedElboStart(), "the observed-pixel ELBO rose, example " + n);
            assertEquals(HIDDEN.length, refined[n].masked());
            startError += Math.abs(start[n].refinedLogLik() - exact) / N;
            worst = Math.max(worst, Math.abs(refined[n].refinedLogLik() - exact));
            mse += refined[n].refinedMse() / N;
            mseStart += start[n].refinedMse() / N;
        }
        System.out.printf("non-amortized imputation, linear-Gaussian: |estimate - log p(x_m|x_o)| at most %.4f nats refined, "
                + "%.4f on average at the start; mse %.4f refined, %.4f at the start%n", worst, startError, mse, mseStart);
        assertTrue(startError > START_MARGIN, "the perturbed start is only " + startError + " nats off");
        assertTrue(mse < mseStart, "the refined imputation's error " + mse + " is not below the start's " + mseStart);
    }

    @Test
    void resultsArePureFunctionsOfSeedAndIdNotOfTheBatch() {
        float[] x = PpcaTest.data(4);
        NonAmortizedImputation imputation = new NonAmortizedImputation(PpcaTest.CONFIG, PpcaTest.parameters(0.6, 1.2), MASK,
                new NonAmortizedConfig(20, 0.01, 3, 300), false);
        ImputationComparison[] together = imputation.compare(new long[]{0, 1, 2, 3}, x, null, trainingMean(), batch(x));
        float[] last = java.util.Arrays.copyOfRange(x, 3 * PpcaTest.D, 4 * PpcaTest.D);
        ImputationComparison alone = imputation.compare(new long[]{3}, last, null, trainingMean(), batch(last))[0];
        assertEquals(together[3].refinedLogLik(), alone.refinedLogLik(), 1e-4);
        assertEquals(together[3].gibbsLogLik(), alone.gibbsLogLik(), 1e-4);
        assertEquals(together[3].refinedSquaredError(), alone.refinedSquaredError(), 1e-5);
    }

    @Test
    void otherPosteriorsAndBadKeysAreRefusedWithTheReason() {
        VaeConfig planar = VaeConfig.from(Settings.defaults("model.posterior.kind=planar", "model.posterior.length=2")
                .config(), 784);
        VaeException e = assertThrows(VaeException.class, () -> new NonAmortizedImputation(planar,
                org.vaespark.core.model.structure.ModelDescription.layout(planar).initialise(1), MASK, REFINE, true));
        assertTrue(e.getMessage().contains("planar flow posterior is not a diagonal Gaussian"), e.getMessage());
        VaeConfig hvae = VaeConfig.from(Settings.defaults("model.kind=hvae").config(), 784);
        assertTrue(NonAmortizedImputation.unavailable(hvae).contains("two-layer"), NonAmortizedImputation.unavailable(hvae));
        VaeException bad = assertThrows(VaeException.class, () -> NonAmortizedConfig.from(
                Settings.defaults("eval.imputation.non-amortized.samples=0").config()));
        assertTrue(bad.getMessage().contains("eval.imputation.non-amortized.samples"), bad.getMessage());
        NonAmortizedConfig defaults = NonAmortizedConfig.from(Settings.defaults().config());
        assertTrue(defaults.steps() > 0 && defaults.samples() > 0);
    }

    /** The mean of 500 draws from the model: the "training set" mean of each pixel. */
    private static float[] trainingMean() {
        float[] data = PpcaTest.data(500);
        float[] mean = new float[PpcaTest.D];
        for (int i = 0; i < data.length; i++) {
            mean[i % PpcaTest.D] += data[i] / 500f;
        }
        return mean;
    }

    /** A pseudo-Gibbs batch stand-in with pixels 4 and 5 missing and imputed by the training mean. */
    private static Imputation.Batch batch(float[] x) {
        int n = x.length / PpcaTest.D;
        boolean[] missing = new boolean[x.length];
        float[] imputed = x.clone();
        float[] fill = trainingMean();
        ImputationResult[] results = new ImputationResult[n];
        for (int b = 0; b < n; b++) {
            for (int i : HIDDEN) {
                missing[b * PpcaTest.D + i] = true;
                imputed[b * PpcaTest.D + i] = fill[i];
            }
            results[b] = new ImputationResult(b, HIDDEN.length, 0, 0, 0, 0);
        }
        return new Imputation.Batch(imputed, missing, results);
    }

    /** log p(x_m | x_o) = log N(x; b, C) − log N(x_o; b_o, C_oo), C = W Wᵀ + s2 I. */
    private static double conditional(float[] x, int n) {
        int[] all = {0, 1, 2, 3, 4, 5};
        int[] observed = {0, 1, 2, 3};
        return logNormal(x, n, all) - logNormal(x, n, observed);
    }

    /** log N(x_S; b_S, C_SS) by Cholesky, in double precision. */
    private static double logNormal(float[] x, int n, int[] idx) {
        int k = idx.length;
        double[][] l = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b <= a; b++) {
                double s = a == b ? PpcaTest.S2 : 0;
                for (int j = 0; j < PpcaTest.LATENT; j++) {
                    s += PpcaTest.W[idx[a]][j] * PpcaTest.W[idx[b]][j];
                }
                for (int j = 0; j < b; j++) {
                    s -= l[a][j] * l[b][j];
                }
                l[a][b] = a == b ? Math.sqrt(s) : s / l[b][b];
            }
        }
        double quad = 0;
        double logDet = 0;
        double[] y = new double[k];
        for (int a = 0; a < k; a++) {
            double s = x[n * PpcaTest.D + idx[a]] - PpcaTest.B[idx[a]];
            for (int j = 0; j < a; j++) {
                s -= l[a][j] * y[j];
            }
            y[a] = s / l[a][a];
            quad += y[a] * y[a];
            logDet += 2 * Math.log(l[a][a]);
        }
        return -0.5 * (quad + logDet + k * Math.log(2 * Math.PI));
    }
}
