package org.vaespark.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.cpu.Backend;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.eval.amortization.AmortizationConfig;
import org.vaespark.core.eval.amortization.AmortizationGap;
import org.vaespark.core.eval.amortization.ExampleGap;
import org.vaespark.core.model.VaeConfig;

/**
 * The amortization gap (Cremer, Li &amp; Duvenaud 2018) on the linear-Gaussian model of {@link PpcaTest}: W's columns
 * are orthogonal, so the exact posterior is the diagonal Gaussian N(postVar W^T (x - b) / s2, postVar) and
 * log p(x) = log N(x; b, W W^T + s2 I) is known. The encoder is deliberately perturbed (mean +0.6, log-variance +1.2),
 * so it is far from that posterior; the per-example refinement must recover it without the encoder.
 */
class AmortizationGapTest {
    private static final int N = 8;
    /** Refinement long and fine enough that Adam's jitter on the log-variance is well below the tolerances. */
    private static final AmortizationConfig REFINE = new AmortizationConfig(3000, 0.001, 50);
    private static final EvalConfig EVAL = new EvalConfig(2000, 500, N, 31, "test", null, Backend.CPU);
    /**
     * |q* mean - posterior mean| / posterior s.d., per latent: Adam's constant step leaves a jitter of a few hundredths
     * of a s.d. (0.1 s.d. costs 0.005 nats of KL); the encoder starts 0.6 / 0.26 = 2.3 s.d. away.
     */
    private static final double MEAN_TOLERANCE = 0.1;
    /** |q* variance / posterior variance - 1|, per latent. */
    private static final double VARIANCE_TOLERANCE = 0.05;
    /** |ELBO(q*) - log p(x)| in nats, per example. */
    private static final double ELBO_TOLERANCE = 0.01;
    /**
     * |log p̂(x) - log p(x)| in nats: log p̂ is the larger of two IWAE-2000 estimates, one with the perturbed encoder as
     * the proposal, whose Monte-Carlo error is a few hundredths of a nat (either may land above log p(x)).
     */
    private static final double IWAE_TOLERANCE = 0.05;
    /** The perturbed encoder's mean log p(x) - ELBO(q_φ) must exceed this, so the refinement has work to do. */
    private static final double PERTURBATION_MARGIN = 1.0;

    @Test
    void refinementRecoversTheExactPosteriorFromAPerturbedEncoder() {
        float[] x = PpcaTest.data(N);
        long[] ids = LongStream.range(0, N).toArray();
        ExampleGap[] gaps = new AmortizationGap(PpcaTest.CONFIG, PpcaTest.parameters(0.6, 1.2), EVAL, REFINE)
                .estimate(ids, x, null);
        double encoderGap = 0;
        for (int n = 0; n < N; n++) {
            ExampleGap g = gaps[n];
            double exact = PpcaTest.exactLogMarginal(x, n);
            encoderGap += (exact - g.elboEncoder()) / N;
            for (int j = 0; j < PpcaTest.LATENT; j++) {
                double[] posterior = posterior(x, n, j);
                assertEquals(0.0, (g.mean()[j] - posterior[0]) / Math.sqrt(posterior[1]), MEAN_TOLERANCE,
                        "(q* mean - posterior mean) / posterior s.d., example " + n + ", latent " + j);
                double variance = Math.exp(g.logvar()[j]);
                assertEquals(1.0, variance / posterior[1], VARIANCE_TOLERANCE, "q* variance / posterior variance, example "
                        + n + ", latent " + j);
            }
            assertEquals(exact, g.elboRefined(), ELBO_TOLERANCE, "ELBO(q*) against log p(x), example " + n);
            assertEquals(exact, g.logLikelihood(), IWAE_TOLERANCE, "log p̂(x) against log p(x), example " + n);
            assertEquals(g.elboRefined() - g.elboEncoder(), g.amortizationGap(), 1e-12);
            assertEquals(g.logLikelihood() - g.elboRefined(), g.approximationGap(), 1e-12);
            assertTrue(g.trace()[0] < g.trace()[REFINE.steps() - 1], "the refinement did not raise the ELBO of example " + n);
        }
        assertTrue(encoderGap > PERTURBATION_MARGIN, "the perturbed encoder is only " + encoderGap + " nats below log p(x)");
    }

    @Test
    void resultsArePureFunctionsOfSeedAndIdNotOfTheBatch() {
        float[] x = PpcaTest.data(4);
        AmortizationConfig quick = new AmortizationConfig(20, 0.01, 3);
        EvalConfig eval = new EvalConfig(100, 30, 4, 5, "test", null, Backend.CPU);
        AmortizationGap gap = new AmortizationGap(PpcaTest.CONFIG, PpcaTest.parameters(0.6, 1.2), eval, quick);
        ExampleGap[] together = gap.estimate(new long[]{0, 1, 2, 3}, x, null);
        float[] last = java.util.Arrays.copyOfRange(x, 3 * PpcaTest.D, 4 * PpcaTest.D);
        ExampleGap alone = gap.estimate(new long[]{3}, last, null)[0];
        assertEquals(together[3].elboRefined(), alone.elboRefined(), 1e-4);
        assertEquals(together[3].iwaeEncoder(), alone.iwaeEncoder(), 1e-4);
        assertTrue(together[3].elboRefined() != together[2].elboRefined());
    }

    @Test
    void aFlowPosteriorIsRefusedWithTheReason() {
        VaeConfig planar = VaeConfig.from(Settings.defaults("model.posterior.kind=planar", "model.posterior.length=2")
                .config(), 784);
        VaeException e = assertThrows(VaeException.class, () -> new AmortizationGap(planar,
                org.vaespark.core.model.structure.ModelDescription.layout(planar).initialise(1), EVAL, REFINE));
        assertTrue(e.getMessage().contains("planar flow posterior is not a diagonal Gaussian"), e.getMessage());
        assertTrue(e.getMessage().contains("model.posterior.kind = gaussian"), e.getMessage());
    }

    /** The exact posterior's mean and variance of latent j for example n. */
    private static double[] posterior(float[] x, int n, int j) {
        double wtw = 0;
        double proj = 0;
        for (int i = 0; i < PpcaTest.D; i++) {
            wtw += PpcaTest.W[i][j] * PpcaTest.W[i][j];
            proj += PpcaTest.W[i][j] * (x[n * PpcaTest.D + i] - PpcaTest.B[i]);
        }
        double variance = 1.0 / (1.0 + wtw / PpcaTest.S2);
        return new double[]{variance * proj / PpcaTest.S2, variance};
    }
}
