package org.vaespark.core.model.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.MmdKernel;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.testing.TestConfigs;

/** The MMD estimate and the InfoVAE loss (Zhao et al. 2019) against double-precision sums written here. */
class MmdTest {

    @ParameterizedTest
    @CsvSource({"GAUSSIAN,3,0.8", "IMQ,3,0.8", "GAUSSIAN,1,1.5", "IMQ,1,0.3"})
    void theBiasedEstimateMatchesADirectSum(MmdKernel kernel, int d, double scale) {
        double[][] a = samples(7, d, 1, 0.0);
        double[][] b = samples(5, d, 2, 0.4);
        assertEquals(biased(a, b, kernel, scale), graphMmd(a, b, kernel, scale), 1e-12);
        assertTrue(biased(a, b, kernel, scale) > 1e-3, "the two sample sets should differ");
    }

    @ParameterizedTest
    @CsvSource({"GAUSSIAN,3", "IMQ,3", "IMQ,1"})
    void identicalSampleSetsHaveZeroDiscrepancy(MmdKernel kernel, int d) {
        double[][] a = samples(9, d, 3, 0.0);
        assertEquals(0.0, graphMmd(a, a, kernel, 1.0), 1e-12);
    }

    @ParameterizedTest
    @CsvSource({"IMQ,0,10", "GAUSSIAN,0.25,4"})
    void theInfoVaeLossIsReconstructionPlusWeightedKlAndMmd(MmdKernel kernel, double alpha, double lambda) {
        ObjectiveFixture f = new ObjectiveFixture(4, 3, "model.objective.kind=mmd", "model.objective.mmd.kernel=" + kernel,
                "model.objective.mmd.alpha=" + alpha, "model.objective.mmd.lambda=" + lambda, "model.objective.mmd.scale=0.9");
        int d = f.config.latentDim();
        assertEquals(2 * d, f.config.noiseDim());
        double[][] mu = f.rows(VaeNames.Z_MEAN);
        double[][] logvar = f.rows(VaeNames.Z_LOGVAR);
        double[][] q = new double[3 * 4][d];
        double[][] p = new double[3 * 4][d];
        for (int s = 0; s < 3; s++) {
            for (int b = 0; b < 4; b++) {
                for (int j = 0; j < d; j++) {
                    q[s * 4 + b][j] = mu[b][j] + Math.exp(0.5 * logvar[b][j]) * f.eps(s, b, j);
                    p[s * 4 + b][j] = f.eps(s, b, d + j);
                }
            }
        }
        double kl = 0;
        for (double k : f.klPerDimension()) {
            kl += k;
        }
        double mmd = biased(q, p, kernel, 0.9);
        double expected = -ObjectiveFixture.mean(f.rows(VaeNames.LOG_PX_Z)) + (1 - alpha) * kl + (alpha + lambda - 1) * mmd;
        assertEquals(expected, f.loss(1.0), 1e-9 * Math.abs(expected));
    }

    @Test
    void onlyTheStandardPriorAndNoBetaAreAccepted() {
        VaeException prior = assertThrows(VaeException.class, () -> TestConfigs.model(
                TestConfigs.small("model.objective.kind=mmd", "model.prior.kind=vamp"), 784));
        assertTrue(prior.getMessage().contains("model.prior.kind"), prior.getMessage());
        VaeException beta = assertThrows(VaeException.class, () -> TestConfigs.model(
                TestConfigs.small("model.objective.kind=mmd", "model.beta=2"), 784));
        assertTrue(beta.getMessage().contains("model.beta") && beta.getMessage().contains("alpha"), beta.getMessage());
    }

    private static double graphMmd(double[][] a, double[][] b, MmdKernel kernel, double scale) {
        SameDiff sd = SameDiff.create();
        SDVariable va = sd.constant(Nd4j.create(a));
        SDVariable vb = sd.constant(Nd4j.create(b));
        SDVariable m = Mmd.biased(sd, va, vb, a[0].length, kernel, scale);
        return sd.output(Map.of(), m.name()).get(m.name()).getDouble(0);
    }

    /** mean k(a, a) + mean k(b, b) - 2 mean k(a, b), every pair (diagonal included). */
    static double biased(double[][] a, double[][] b, MmdKernel kernel, double scale) {
        return meanKernel(a, a, kernel, scale) + meanKernel(b, b, kernel, scale) - 2 * meanKernel(a, b, kernel, scale);
    }

    private static double meanKernel(double[][] a, double[][] b, MmdKernel kernel, double scale) {
        int d = a[0].length;
        double c = 2 * d * scale * scale;
        double sum = 0;
        for (double[] u : a) {
            for (double[] v : b) {
                double r = 0;
                for (int j = 0; j < d; j++) {
                    r += (u[j] - v[j]) * (u[j] - v[j]);
                }
                sum += kernel == MmdKernel.GAUSSIAN ? Math.exp(-r / c) : c / (c + r);
            }
        }
        return sum / (a.length * (double) b.length);
    }

    private static double[][] samples(int n, int d, long seed, double shift) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = shift + 2 * r.nextDouble() - 1;
            }
        }
        return out;
    }
}
