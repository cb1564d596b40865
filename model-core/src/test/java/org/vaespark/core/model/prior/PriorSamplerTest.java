package org.vaespark.core.model.prior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.samediff.PriorSampler;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.ComponentGraphs;

/** Prior draws against their independent expectations: moments, component shares, determinism. */
class PriorSamplerTest {

    @Test
    void standardNormalDrawsHaveZeroMeanAndUnitVariance() {
        VaeConfig c = ComponentGraphs.tinyConfig("model.latent-dim=4");
        int n = 20000;
        double[][] z = sample(c, ModelDescription.layout(c).initialise(1), n, 7);
        for (int j = 0; j < 4; j++) {
            double[] col = column(z, j);
            double mean = Arrays.stream(col).average().orElseThrow();
            double var = Arrays.stream(col).map(v -> (v - mean) * (v - mean)).sum() / (n - 1);
            assertEquals(0, mean, 4 / Math.sqrt(n), "mean of z_" + j);
            assertEquals(1, var, 4 * Math.sqrt(2.0 / n), "variance of z_" + j);
        }
        double corr = 0;
        for (double[] row : z) {
            corr += row[0] * row[1];
        }
        assertEquals(0, corr / n, 4 / Math.sqrt(n), "z_0 and z_1 are uncorrelated");
    }

    @Test
    void drawsAreAPureFunctionOfTheSeed() {
        VaeConfig c = ComponentGraphs.tinyConfig("model.latent-dim=3");
        NamedArrays p = ModelDescription.layout(c).initialise(1);
        double[][] a = sample(c, p, 50, 3);
        assertArrayEquals(a[7], sample(c, p, 50, 3)[7]);
        assertArrayEquals(a[7], sample(c, p, 8, 3)[7], "row i does not depend on how many rows are drawn");
        assertFalse(Arrays.equals(a[7], sample(c, p, 50, 4)[7]));
    }

    @Test
    void mixtureDrawsPickEachComponentEquallyOftenAndKeepItsSpread() {
        VaeConfig c = ComponentGraphs.tinyConfig("model.latent-dim=2", "model.prior.kind=mog", "model.prior.components=3");
        double[][] centres = {{-10, 0}, {0, 10}, {10, 0}};
        double[] sd = {0.5, 1.0, 2.0};
        NamedArrays p = ModelDescription.layout(c).initialise(1).map((name, v) -> {
            float[] out = v.clone();
            for (int k = 0; k < 3; k++) {
                for (int j = 0; j < 2; j++) {
                    if (name.equals(MixtureOfGaussiansPrior.MEANS)) {
                        out[k * 2 + j] = (float) centres[k][j];
                    } else if (name.equals(MixtureOfGaussiansPrior.LOGVARS)) {
                        out[k * 2 + j] = (float) Math.log(sd[k] * sd[k]);
                    }
                }
            }
            return out;
        });
        int n = 9000;
        double[][] z = sample(c, p, n, 11);
        int[] counts = new int[3];
        double[] sumSq = new double[3];
        for (int i = 0; i < n; i++) {
            int nearest = 0;
            for (int k = 1; k < 3; k++) {
                if (dist2(z[i], centres[k]) < dist2(z[i], centres[nearest])) {
                    nearest = k;
                }
            }
            counts[nearest]++;
            sumSq[nearest] += dist2(z[i], centres[nearest]);
        }
        double binomialSd = Math.sqrt(n * (1.0 / 3) * (2.0 / 3));
        for (int k = 0; k < 3; k++) {
            assertEquals(n / 3.0, counts[k], 4 * binomialSd, "draws from component " + k);
            double var = sumSq[k] / (2 * counts[k]);
            assertEquals(sd[k] * sd[k], var, 0.1 * sd[k] * sd[k], "within-component variance of " + k);
        }
    }

    @Test
    void vampPriorDrawsAverageToTheMeanOfTheEncodedPseudoInputs() {
        VaeConfig c = ComponentGraphs.tinyConfig("model.latent-dim=2", "model.prior.kind=vamp", "model.prior.components=4",
                "model.prior.pseudo-inputs.init=random");
        NamedArrays p = ComponentGraphs.jittered(ModelDescription.layout(c), 3, 0.5);
        INDArray u = PriorSampler.pseudoInputs(c, p);
        assertTrue(u.minNumber().doubleValue() >= 0 && u.maxNumber().doubleValue() <= 1, "hardtanh keeps u in [0, 1]");
        // Independent: the encoder (tanh MLP, 5 units) in plain Java on the clipped pseudo-inputs.
        double[][] uRows = u.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
        double[] mixtureMean = new double[2];
        double[] secondMoment = new double[2];
        for (double[] row : uRows) {
            double[] h = org.vaespark.core.testing.JavaLayers.tanh(
                    org.vaespark.core.testing.JavaLayers.dense(p, org.vaespark.core.model.VaeNames.encoderLayer(0), row));
            double[] mu = org.vaespark.core.testing.JavaLayers.dense(p, org.vaespark.core.model.VaeNames.ENC_MU, h);
            double[] lv = org.vaespark.core.testing.JavaLayers.dense(p, org.vaespark.core.model.VaeNames.ENC_LOGVAR, h);
            for (int j = 0; j < 2; j++) {
                mixtureMean[j] += mu[j] / uRows.length;
                secondMoment[j] += (Math.exp(lv[j]) + mu[j] * mu[j]) / uRows.length;
            }
        }
        int n = 20000;
        double[][] z = sample(c, p, n, 5);
        for (int j = 0; j < 2; j++) {
            double sd = Math.sqrt(secondMoment[j] - mixtureMean[j] * mixtureMean[j]);
            double mean = Arrays.stream(column(z, j)).average().orElseThrow();
            assertEquals(mixtureMean[j], mean, 4 * sd / Math.sqrt(n), "mean of z_" + j);
        }
    }

    private static double[][] sample(VaeConfig c, NamedArrays p, int n, long seed) {
        INDArray z = new PriorSampler(c, p).sample(n, seed);
        return z.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
    }

    private static double[] column(double[][] z, int j) {
        return Arrays.stream(z).mapToDouble(r -> r[j]).toArray();
    }

    private static double dist2(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return s;
    }
}
