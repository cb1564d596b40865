package org.vaespark.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.Pairing;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.structure.ModelDescription;

/**
 * The MVAE's layers on the CPU executor (Wu &amp; Goodman 2018): the product of experts against its closed form, its
 * backward step and the whole subsampled bound's parameter gradient against central finite differences, and the
 * unpaired examples as a pure function of seed and id.
 */
class MultimodalTest {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    @Test
    void theProductOfExpertsIsTheClosedFormPrecisionWeightedGaussian() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 12;
        float[][] mu = new float[2][n];
        float[][] lv = new float[2][n];
        for (int m = 0; m < 2; m++) {
            for (int i = 0; i < n; i++) {
                mu[m][i] = (float) (rng.nextDouble() * 6 - 3);
                lv[m][i] = (float) (rng.nextDouble() * 6 - 4);
            }
        }
        Tape t = new Tape(false);
        Moments q = ProductOfExperts.of(t, java.util.List.of(new Moments(t.input(mu[0], 3, 4), t.input(lv[0], 3, 4), null),
                new Moments(t.input(mu[1], 3, 4), t.input(lv[1], 3, 4), null)));
        for (int i = 0; i < n; i++) {
            double v0 = Math.exp(lv[0][i]);
            double v1 = Math.exp(lv[1][i]);
            double variance = 1 / (1 + 1 / v0 + 1 / v1);
            double mean = variance * (mu[0][i] / v0 + mu[1][i] / v1);
            assertEquals(mean, q.mean().values()[i], 1e-5 * Math.max(1, Math.abs(mean)), "mean " + i);
            assertEquals(Math.log(variance), q.logvar().values()[i], 1e-5, "log-variance " + i);
            // the product's log density differs from N(0,1) N(mu_0, v_0) N(mu_1, v_1) by a constant in z
            double[] gap = new double[3];
            for (int k = 0; k < 3; k++) {
                double z = -2 + 2 * k;
                gap[k] = logNormal(z, 0, 1) + logNormal(z, mu[0][i], v0) + logNormal(z, mu[1][i], v1)
                        - logNormal(z, q.mean().values()[i], Math.exp(q.logvar().values()[i]));
            }
            assertEquals(gap[0], gap[1], 1e-3 * Math.max(1, Math.abs(gap[0])), "density ratio not constant in z at " + i);
            assertEquals(gap[0], gap[2], 1e-3 * Math.max(1, Math.abs(gap[0])), "density ratio not constant in z at " + i);
        }
        Moments alone = ProductOfExperts.of(t, java.util.List.of(new Moments(t.input(mu[0], 3, 4), t.input(lv[0], 3, 4), null)));
        double v = 1 / (1 + Math.exp(-lv[0][5]));
        assertEquals(v * mu[0][5] * Math.exp(-lv[0][5]), alone.mean().values()[5], 1e-5);
    }

    @Test
    void theProductOfExpertsBackwardStepMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 6;
        double[] a = new double[n];
        double[] b = new double[n];
        double[][] in = new double[4][n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble() * 2 - 1;
            b[i] = rng.nextDouble() * 2 - 1;
            for (int k = 0; k < 4; k++) {
                in[k][i] = rng.nextDouble() * 3 - 1.5;
            }
        }
        Tape t = new Tape(true);
        float[][] values = new float[4][n];
        float[][] grads = new float[4][n];
        Tensor[] vars = new Tensor[4];
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < n; i++) {
                values[k][i] = (float) in[k][i];
            }
            vars[k] = t.variable(values[k], grads[k], 2, 3);
        }
        Moments q = ProductOfExperts.of(t, java.util.List.of(new Moments(vars[0], vars[1], null), new Moments(vars[2], vars[3], null)));
        for (int i = 0; i < n; i++) {
            q.mean().grad()[i] = (float) a[i];
            q.logvar().grad()[i] = (float) b[i];
        }
        t.backward();
        double h = 1e-6;
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < n; i++) {
                double keep = in[k][i];
                in[k][i] = keep + h;
                double up = poeLoss(in, a, b);
                in[k][i] = keep - h;
                double down = poeLoss(in, a, b);
                in[k][i] = keep;
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, grads[k][i], 1e-4 * Math.max(1, Math.abs(numeric)), "input " + k + " entry " + i);
            }
        }
    }

    /** sum_i a_i mean_i + b_i logvar_i of the product, in double from the closed form. */
    private static double poeLoss(double[][] in, double[] a, double[] b) {
        double loss = 0;
        for (int i = 0; i < a.length; i++) {
            double p0 = Math.exp(-in[1][i]);
            double p1 = Math.exp(-in[3][i]);
            double total = 1 + p0 + p1;
            loss += a[i] * (p0 * in[0][i] + p1 * in[2][i]) / total - b[i] * Math.log(total);
        }
        return loss;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"image-label", "halves"})
    void theSubsampledBoundsParameterGradientMatchesFiniteDifferences(String modalities) {
        VaeConfig c = VaeConfig.from(Settings.defaults("model.kind=mvae", "model.multimodal.modalities=" + modalities,
                "model.encoder.hidden=[6]", "model.decoder.hidden=[5]", "model.latent-dim=3", "model.labels.classes=3",
                "model.multimodal.label-hidden=[4]", "model.multimodal.weights=[1.0, 3.0]", "model.activation=tanh",
                "model.multimodal.unpaired-fraction=0.5").config(), new ImageShape(4, 2, 1));
        int batch = 6;
        int samples = 2;
        SplittableRandom rng = new SplittableRandom(11);
        float[] x = new float[batch * c.inputDim()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.4 ? 1f : 0f;
        }
        long[] ids = new long[batch];
        int[] labels = new int[batch];
        for (int b = 0; b < batch; b++) {
            ids[b] = b;
            labels[b] = b % 3;
        }
        float[] feed = Pairing.feed(c, ids, labels, 7L);
        int w = Pairing.width(c);
        int k = Pairing.labelColumns(c);
        int paired = 0;
        for (int b = 0; b < batch; b++) {
            paired += feed[b * w + k] + feed[b * w + k + 1] == 2 ? 1 : 0;
        }
        assertTrue(paired > 0 && paired < batch, "the batch should mix paired and unpaired examples: " + paired);
        float[] eps = new float[samples * batch * c.noiseDim()];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) gaussian(rng);
        }
        CpuParameters p = new CpuParameters(ModelDescription.layout(c).initialise(13));
        CpuTraining training = new CpuTraining(CpuModel.of(c), p);
        training.gradient(x, batch, eps, samples, 0.7, feed);
        java.util.Map<String, float[]> analytic = new java.util.HashMap<>();
        p.gradients().forEach((name, g) -> analytic.put(name, g.clone()));
        double h = 1e-3;
        int checked = 0;
        for (String name : ModelDescription.layout(c).names()) {
            float[] v = p.values(name);
            for (int e = 0; e < Math.min(4, v.length); e++) {
                int i = v.length <= 4 ? e : rng.nextInt(v.length);
                float keep = v[i];
                v[i] = keep + (float) h;
                double up = training.gradient(x, batch, eps, samples, 0.7, feed).loss();
                v[i] = keep - (float) h;
                double down = training.gradient(x, batch, eps, samples, 0.7, feed).loss();
                v[i] = keep;
                double numeric = (up - down) / (2 * h);
                double a = analytic.get(name)[i];
                assertEquals(numeric, a, 5e-3 + 0.02 * Math.abs(numeric), name + "[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked > 40, "checked " + checked);
        assertTrue(analytic.get("label_out_W") == null || nonZero(analytic.get("label_out_W")), "the label decoder gets no gradient");
        assertTrue(nonZero(analytic.get(ModelDescription.layout(c).names().get(0))), "the first expert gets no gradient");
    }

    @Test
    void unpairedExamplesAreAPureFunctionOfSeedAndIdInTheConfiguredFraction() {
        int n = 20000;
        int[] kept = new int[3];
        int differ = 0;
        for (long id = 0; id < n; id++) {
            int m = Pairing.keptModality(42, id, 0.3);
            assertEquals(m, Pairing.keptModality(42, id, 0.3));
            kept[m + 1]++;
            differ += m != Pairing.keptModality(43, id, 0.3) ? 1 : 0;
        }
        double unpaired = (kept[1] + kept[2]) / (double) n;
        assertEquals(0.3, unpaired, 4 * Math.sqrt(0.3 * 0.7 / n), "unpaired fraction");
        assertEquals(0.5, kept[1] / (double) (kept[1] + kept[2]), 0.03, "both modalities are kept about equally often");
        assertTrue(differ > n / 5, "another seed picks other examples");
        assertEquals(-1, Pairing.keptModality(42, 5, 0.0));
        assertNotEquals(-1, Pairing.keptModality(42, 5, 1.0));
    }

    private static boolean nonZero(float[] g) {
        for (float v : g) {
            if (v != 0f) {
                return true;
            }
        }
        return false;
    }

    private static double logNormal(double z, double mean, double variance) {
        return -0.5 * (LOG_2PI + Math.log(variance) + (z - mean) * (z - mean) / variance);
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
