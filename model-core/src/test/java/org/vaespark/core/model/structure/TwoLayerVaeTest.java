package org.vaespark.core.model.structure;

import static org.vaespark.core.testing.JavaLayers.dense;
import static org.vaespark.core.testing.JavaLayers.tanh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The two-layer HVAE's per-sample log-densities against a plain double-precision computation of
 * q(z2|x), q(z1|x, z2), p(z1|z2), p(z2) = N(0, I) and p(x|z1, z2) from the model's parameters.
 */
class TwoLayerVaeTest {
    private static final int DIM = 9;
    private static final int D1 = 2;
    private static final int D2 = 3;
    private static final int BATCH = 3;
    private static final int SAMPLES = 2;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private static VaeConfig config(String... extra) {
        Settings s = Settings.defaults("model.kind=hvae", "model.encoder.hidden=[5]", "model.decoder.hidden=[4]",
                "model.latent-dim=" + D1, "model.hierarchy.top-latent-dim=" + D2, "model.hierarchy.hidden=[6]",
                "model.activation=tanh").with(extra);
        return VaeConfig.from(s.config(), DIM);
    }

    /** A model whose parameters (biases included) are all away from their initial values. */
    private static Vae model(VaeConfig c) {
        Vae vae = Vae.initialise(c, 11);
        SplittableRandom rng = new SplittableRandom(5);
        vae.setParameters(vae.parameters().map((n, a) -> {
            float[] out = a.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] += (float) (0.3 * (rng.nextDouble() - 0.5));
            }
            return out;
        }));
        return vae;
    }

    private static float[] binaryData(int seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[BATCH * DIM];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.4 ? 1f : 0f;
        }
        return x;
    }

    private static float[] noise(int seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] e = new float[SAMPLES * BATCH * (D1 + D2)];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) (2 * rng.nextDouble() - 1);
        }
        return e;
    }

    @Test
    void perSampleLogDensitiesMatchADirectComputation() {
        VaeConfig c = config();
        Vae vae = model(c);
        float[] x = binaryData(1);
        float[] eps = noise(2);
        Map<String, INDArray> out = vae.output(Vae.matrix(x, BATCH, DIM),
                Nd4j.create(eps, new long[]{SAMPLES, BATCH, D1 + D2}, 'c'), VaeNames.LOG_PX_Z, VaeNames.LOG_PZ,
                VaeNames.LOG_QZ_X, VaeNames.LOG_W, VaeNames.KL_Z1, VaeNames.KL_Z2, VaeNames.Z_MEAN, VaeNames.Z_LOGVAR);
        NamedArrays p = vae.parameters();
        for (int b = 0; b < BATCH; b++) {
            double[] xb = new double[DIM];
            for (int i = 0; i < DIM; i++) {
                xb[i] = x[b * DIM + i];
            }
            double[] h = tanh(dense(p, "enc_0", xb));
            double[] mu2 = dense(p, "enc_mu", h);
            double[] lv2 = dense(p, "enc_logvar", h);
            for (int j = 0; j < D2; j++) {
                assertEquals(mu2[j], out.get(VaeNames.Z_MEAN).getDouble(b, j), 1e-5);
                assertEquals(lv2[j], out.get(VaeNames.Z_LOGVAR).getDouble(b, j), 1e-5);
            }
            for (int s = 0; s < SAMPLES; s++) {
                int row = (s * BATCH + b) * (D1 + D2);
                double[] z2 = new double[D2];
                for (int j = 0; j < D2; j++) {
                    z2[j] = mu2[j] + Math.exp(0.5 * lv2[j]) * eps[row + j];
                }
                double[] hq = tanh(dense(p, "q_z1_0", concat(h, z2)));
                double[] mu1q = dense(p, "q_z1_mu", hq);
                double[] lv1q = dense(p, "q_z1_logvar", hq);
                double[] z1 = new double[D1];
                for (int j = 0; j < D1; j++) {
                    z1[j] = mu1q[j] + Math.exp(0.5 * lv1q[j]) * eps[row + D2 + j];
                }
                double[] hp = tanh(dense(p, "p_z1_0", z2));
                double[] mu1p = dense(p, "p_z1_mu", hp);
                double[] lv1p = dense(p, "p_z1_logvar", hp);
                double[] logits = dense(p, "dec_out", tanh(dense(p, "dec_0", concat(z1, z2))));
                double logPx = 0;
                for (int i = 0; i < DIM; i++) {
                    logPx += xb[i] * -Math.log1p(Math.exp(-logits[i])) + (1 - xb[i]) * -Math.log1p(Math.exp(logits[i]));
                }
                double logPz2 = logNormal(z2, new double[D2], new double[D2]);
                double logPz1 = logNormal(z1, mu1p, lv1p);
                double logQz2 = logNormal(z2, mu2, lv2);
                double logQz1 = logNormal(z1, mu1q, lv1q);
                assertClose(logPx, out.get(VaeNames.LOG_PX_Z).getDouble(s, b), "log p(x|z1,z2)");
                assertClose(logPz2 + logPz1, out.get(VaeNames.LOG_PZ).getDouble(s, b), "log p(z1,z2)");
                assertClose(logQz2 + logQz1, out.get(VaeNames.LOG_QZ_X).getDouble(s, b), "log q(z1,z2|x)");
                assertClose(logPx + logPz2 + logPz1 - logQz2 - logQz1, out.get(VaeNames.LOG_W).getDouble(s, b), "log w");
                assertClose(logQz1 - logPz1, out.get(VaeNames.KL_Z1).getDouble(s, b), "KL z1");
                assertClose(logQz2 - logPz2, out.get(VaeNames.KL_Z2).getDouble(s, b), "KL z2");
            }
        }
    }

    @Test
    void perLayerKlsSumToTheMonteCarloKlOfTheLoss() {
        VaeConfig c = config();
        Vae vae = model(c);
        double beta = 0.6;
        INDArray xs = Vae.matrix(binaryData(3), BATCH, DIM);
        INDArray es = Nd4j.create(noise(4), new long[]{SAMPLES, BATCH, D1 + D2}, 'c');
        Map<String, INDArray> out = vae.output(new Vae.Feed(xs, es, beta, null, null), VaeNames.LOG_PX_Z, VaeNames.LOG_PZ,
                VaeNames.LOG_QZ_X, VaeNames.KL_Z1, VaeNames.KL_Z2, VaeNames.LOSS);
        double klSum = 0;
        double logPxSum = 0;
        for (int s = 0; s < SAMPLES; s++) {
            for (int b = 0; b < BATCH; b++) {
                double mc = out.get(VaeNames.LOG_QZ_X).getDouble(s, b) - out.get(VaeNames.LOG_PZ).getDouble(s, b);
                double layers = out.get(VaeNames.KL_Z1).getDouble(s, b) + out.get(VaeNames.KL_Z2).getDouble(s, b);
                assertClose(mc, layers, "KL_Z1 + KL_Z2 vs log q - log p");
                klSum += layers;
                logPxSum += out.get(VaeNames.LOG_PX_Z).getDouble(s, b);
            }
        }
        int n = SAMPLES * BATCH;
        double expectedLoss = -(logPxSum / n - beta * klSum / n);
        assertClose(expectedLoss, out.get(VaeNames.LOSS).getDouble(0), "loss = -(E log p(x|z) - beta * MC KL)");
        assertTrue(!c.analyticKl(), "an HVAE has no closed-form KL");
    }

    @Test
    void posteriorFlowsAreRejected() {
        VaeException e = assertThrows(VaeException.class, () -> config("model.posterior.kind=planar"));
        assertTrue(e.getMessage().contains("model.posterior.kind"), e.getMessage());
    }

    @Test
    void theExampleConfigurationBuildsAnHvae() {
        VaeConfig c = VaeConfig.from(Settings.load(java.util.List.of("../conf/models/hvae-standard.conf"),
                java.util.List.of()).config(), 784);
        assertEquals(org.vaespark.core.model.ModelKind.HVAE, c.kind());
        assertEquals(80, c.noiseDim());
    }

    @Test
    void noiseHasBothLayersSideBySide() {
        VaeConfig c = config();
        assertEquals(D1 + D2, c.noiseDim());
        assertEquals(D2, c.priorDim());
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-4 * (1 + Math.abs(expected)), what);
    }

    private static double logNormal(double[] z, double[] mu, double[] logvar) {
        double s = 0;
        for (int j = 0; j < z.length; j++) {
            double diff = z[j] - mu[j];
            s += -0.5 * diff * diff / Math.exp(logvar[j]) - 0.5 * logvar[j] - HALF_LOG_2PI;
        }
        return s;
    }


    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
