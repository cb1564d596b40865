package org.vaespark.core.model.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.testing.GradientCheck;
import org.vaespark.core.testing.TestConfigs;

/** The IWAE-k training objective (Burda et al. 2016) against double-precision log-mean-exps written here. */
class IwaeObjectiveTest {
    private static final String IWAE = "model.objective.kind=iwae";

    @Test
    void withOneSampleTheLossIsTheMonteCarloElbo() {
        ObjectiveFixture iwae = new ObjectiveFixture(6, 1, IWAE);
        ObjectiveFixture elbo = new ObjectiveFixture(6, 1);
        assertEquals(elbo.params.toNd4j(VaeNames.ENC_MU_W), iwae.params.toNd4j(VaeNames.ENC_MU_W));
        double[][] logPx = elbo.rows(VaeNames.LOG_PX_Z);
        double[][] logPz = elbo.rows(VaeNames.LOG_PZ);
        double[][] logQz = elbo.rows(VaeNames.LOG_QZ_X);
        double mcKl = 0;
        for (int b = 0; b < 6; b++) {
            mcKl += (logQz[0][b] - logPz[0][b]) / 6;
        }
        double expected = -ObjectiveFixture.mean(logPx) + mcKl;
        assertEquals(expected, iwae.loss(1.0), 1e-9 * Math.abs(expected));
        // The standard prior's analytic KL differs from the one-sample estimate: the two losses must not agree.
        assertFalse(Math.abs(elbo.loss(1.0) - iwae.loss(1.0)) < 1e-6);
    }

    @Test
    void withFiveSamplesTheLossIsMinusTheMeanLogMeanExpOfTheWeights() {
        ObjectiveFixture f = new ObjectiveFixture(4, 5, IWAE, "train.samples=5");
        double[][] logPx = f.rows(VaeNames.LOG_PX_Z);
        double[][] logPz = f.rows(VaeNames.LOG_PZ);
        double[][] logQz = f.rows(VaeNames.LOG_QZ_X);
        double bound = 0;
        double elbo = 0;
        for (int b = 0; b < 4; b++) {
            double[] w = new double[5];
            for (int s = 0; s < 5; s++) {
                w[s] = logPx[s][b] + logPz[s][b] - logQz[s][b];
                elbo += w[s] / 20;
            }
            bound += logMeanExp(w) / 4;
        }
        assertEquals(-bound, f.loss(1.0), 1e-9 * Math.abs(bound));
        // L_5 >= L_1 on the same samples (Burda et al. 2016, Theorem 1), strictly for non-constant weights.
        assertTrue(-f.loss(1.0) > elbo + 1e-3, "IWAE bound " + -f.loss(1.0) + " is not above the ELBO " + elbo);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void logMeanExpAndItsGradientAreExactForLargeWeights(int samples) {
        double[][] v = new double[samples][2];
        for (int s = 0; s < samples; s++) {
            v[s][0] = -1000.0 - 3.1 * s;
            v[s][1] = 250.0 + 0.7 * s * s;
        }
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.var("v", Nd4j.create(v));
        SDVariable out = Iwae.logMeanExp(sd, in);
        SDVariable total = sd.identity("total", out.sum());
        sd.setLossVariables(total);
        INDArray value = sd.output(Map.of(), out.name()).get(out.name());
        INDArray grad = sd.calculateGradients(Map.of(), List.of("v")).get("v");
        for (int b = 0; b < 2; b++) {
            double[] w = new double[samples];
            for (int s = 0; s < samples; s++) {
                w[s] = v[s][b];
            }
            double lme = logMeanExp(w);
            assertEquals(lme, value.getDouble(b), 1e-9 * Math.abs(lme));
            for (int s = 0; s < samples; s++) {
                // d/dv_s log mean exp(v) = softmax(v)_s.
                assertEquals(Math.exp(w[s] - lme) / samples, grad.getDouble(s, b), 1e-9);
            }
        }
    }

    @Test
    void gradientsWithOneSampleMatchFiniteDifferences() {
        ObjectiveFixture f = new ObjectiveFixture(3, 1, IWAE, "model.encoder.hidden=[5]", "model.decoder.hidden=[5]",
                "model.latent-dim=3");
        assertFalse(f.sd.hasVariable(VaeNames.BETA), "the IWAE loss has no KL weight");
        GradientCheck.check(f.sd, f.placeholders(1.0), VaeNames.LOSS, 4, 1e-4);
    }

    @Test
    void betaWarmUpAndFreeBitsAreRejectedByName() {
        VaeException beta = assertThrows(VaeException.class,
                () -> TestConfigs.model(TestConfigs.small(IWAE, "model.beta=0.5"), 784));
        assertTrue(beta.getMessage().contains("model.beta"), beta.getMessage());
        VaeException warmUp = assertThrows(VaeException.class,
                () -> TestConfigs.model(TestConfigs.small(IWAE, "model.objective.warmup-epochs=2"), 784));
        assertTrue(warmUp.getMessage().contains("model.objective.warmup-epochs"), warmUp.getMessage());
        VaeException freeBits = assertThrows(VaeException.class,
                () -> TestConfigs.model(TestConfigs.small(IWAE, "model.objective.free-bits=1"), 784));
        assertTrue(freeBits.getMessage().contains("model.objective.free-bits"), freeBits.getMessage());
    }

    /** log (1/n) sum exp(w), in double with the max taken out. */
    static double logMeanExp(double[] w) {
        double m = Double.NEGATIVE_INFINITY;
        for (double e : w) {
            m = Math.max(m, e);
        }
        double sum = 0;
        for (double e : w) {
            sum += Math.exp(e - m);
        }
        return m + Math.log(sum / w.length);
    }
}
