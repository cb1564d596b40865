package org.vaespark.core.model.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vaespark.core.testing.JavaLayers.dense;
import static org.vaespark.core.testing.JavaLayers.tanh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The K-layer hierarchical VAE (docs/math.md, "K-layer hierarchical VAE") against a plain double-precision
 * computation written from the formulas, for K = 3 and each inference (top-down, bottom-up, bidirectional), with
 * and without the Markovian generative model: per sample log p(x|z), log p(z), log q(z|x) and the KL of every layer.
 */
class HierarchicalVaeTest {
    private static final int DIM = 9;
    /** d_1, d_2, d_3: z1 next to x. */
    private static final int[] DIMS = {0, 2, 3, 4};
    private static final int K = 3;
    private static final int BATCH = 3;
    private static final int SAMPLES = 2;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private static VaeConfig config(String inference, boolean markovian) {
        Settings s = Settings.defaults("model.kind=hvae", "model.encoder.hidden=[5]", "model.decoder.hidden=[4]",
                "model.hierarchy.latent-dims=[2, 3, 4]", "model.hierarchy.hidden=[6]", "model.activation=tanh",
                "model.hierarchy.inference=" + inference, "model.hierarchy.markovian=" + markovian);
        return VaeConfig.from(s.config(), DIM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"top-down", "top-down:markovian", "bottom-up", "bottom-up:markovian", "bidirectional",
            "bidirectional:markovian"})
    void perSampleDensitiesMatchTheFormulas(String setting) {
        String inference = setting.split(":")[0];
        boolean markovian = setting.endsWith(":markovian");
        VaeConfig c = config(inference, markovian);
        assertEquals(9, c.noiseDim());
        Vae vae = Vae.initialise(c, 11);
        SplittableRandom rng = new SplittableRandom(5);
        vae.setParameters(vae.parameters().map((n, a) -> {
            float[] out = a.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] += (float) (0.3 * (rng.nextDouble() - 0.5));
            }
            return out;
        }));
        float[] x = new float[BATCH * DIM];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.4 ? 1f : 0f;
        }
        float[] eps = new float[SAMPLES * BATCH * 9];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) (2 * rng.nextDouble() - 1);
        }
        Map<String, INDArray> out = vae.output(Vae.matrix(x, BATCH, DIM), Nd4j.create(eps, new long[]{SAMPLES, BATCH, 9}, 'c'),
                VaeNames.LOG_PX_Z, VaeNames.LOG_PZ, VaeNames.LOG_QZ_X, VaeNames.layerKl(1), VaeNames.layerKl(2),
                VaeNames.layerKl(3));
        NamedArrays p = vae.parameters();
        boolean bottomUp = inference.equals("bottom-up");
        boolean shared = inference.equals("bidirectional");
        for (int b = 0; b < BATCH; b++) {
            double[] xb = new double[DIM];
            for (int i = 0; i < DIM; i++) {
                xb[i] = x[b * DIM + i];
            }
            double[] h = tanh(dense(p, "enc_0", xb));
            for (int s = 0; s < SAMPLES; s++) {
                int row = (s * BATCH + b) * 9;
                double[][] z = new double[K + 1][];
                double[] logQ = new double[K + 1];
                double[] logP = new double[K + 1];
                int encoded = bottomUp ? 1 : K;
                double[] mu = dense(p, "enc_mu", h);
                double[] lv = dense(p, "enc_logvar", h);
                z[encoded] = sample(mu, lv, eps, row + offset(encoded));
                logQ[encoded] = logNormal(z[encoded], mu, lv);
                if (bottomUp) {
                    for (int k = 2; k <= K; k++) {
                        double[] in = markovian ? z[k - 1] : concat(h, concat(z, 1, k - 1));
                        double[] hq = tanh(dense(p, "q_z" + k + "_0", in));
                        double[] m = dense(p, "q_z" + k + "_mu", hq);
                        double[] l = dense(p, "q_z" + k + "_logvar", hq);
                        z[k] = sample(m, l, eps, row + offset(k));
                        logQ[k] = logNormal(z[k], m, l);
                    }
                } else {
                    for (int k = K - 1; k >= 1; k--) {
                        double[] above = markovian ? z[k + 1] : concat(z, k + 1, K);
                        double[] m;
                        double[] l;
                        if (shared) {
                            double[] state = tanh(dense(p, "p_z" + k + "_0", above));
                            m = dense(p, "q_z" + k + "_mu", concat(h, state));
                            l = dense(p, "q_z" + k + "_logvar", concat(h, state));
                        } else {
                            double[] hq = tanh(dense(p, "q_z" + k + "_0", concat(h, above)));
                            m = dense(p, "q_z" + k + "_mu", hq);
                            l = dense(p, "q_z" + k + "_logvar", hq);
                        }
                        z[k] = sample(m, l, eps, row + offset(k));
                        logQ[k] = logNormal(z[k], m, l);
                    }
                }
                for (int k = 1; k < K; k++) {
                    double[] hp = tanh(dense(p, "p_z" + k + "_0", markovian ? z[k + 1] : concat(z, k + 1, K)));
                    logP[k] = logNormal(z[k], dense(p, "p_z" + k + "_mu", hp), dense(p, "p_z" + k + "_logvar", hp));
                }
                logP[K] = logNormal(z[K], new double[DIMS[K]], new double[DIMS[K]]);
                double[] logits = dense(p, "dec_out", tanh(dense(p, "dec_0", markovian ? z[1] : concat(z, 1, K))));
                double logPx = 0;
                for (int i = 0; i < DIM; i++) {
                    logPx += xb[i] * -Math.log1p(Math.exp(-logits[i])) + (1 - xb[i]) * -Math.log1p(Math.exp(logits[i]));
                }
                assertClose(logPx, out.get(VaeNames.LOG_PX_Z).getDouble(s, b), setting + " log p(x|z)");
                assertClose(logP[1] + logP[2] + logP[3], out.get(VaeNames.LOG_PZ).getDouble(s, b), setting + " log p(z)");
                assertClose(logQ[1] + logQ[2] + logQ[3], out.get(VaeNames.LOG_QZ_X).getDouble(s, b), setting + " log q(z|x)");
                for (int k = 1; k <= K; k++) {
                    assertClose(logQ[k] - logP[k], out.get(VaeNames.layerKl(k)).getDouble(s, b), setting + " KL of z" + k);
                }
            }
        }
    }

    @Test
    void theMarkovianBottomUpModelIsBurdasTwoLayerModel() {
        Settings s = Settings.defaults("model.kind=hvae", "model.hierarchy.latent-dims=[5, 3]", "model.hierarchy.hidden=[6]",
                "model.hierarchy.inference=bottom-up", "model.hierarchy.markovian=true", "model.encoder.hidden=[7]",
                "model.decoder.hidden=[7]");
        VaeConfig c = VaeConfig.from(s.config(), DIM);
        List<String> names = new ArrayList<>(ModelDescription.layout(c).names());
        // q(z1|x) is the encoder (its heads have z1's width), q(z2|z1) reads z1 alone, p(x|z1) reads z1 alone.
        assertEquals(List.of(7L, 5L), List.of(ModelDescription.layout(c).shapes().get("enc_mu_W")[0],
                ModelDescription.layout(c).shapes().get("enc_mu_W")[1]));
        assertEquals(5L, ModelDescription.layout(c).shapes().get("q_z2_0_W")[0]);
        assertEquals(3L, ModelDescription.layout(c).shapes().get("p_z1_0_W")[0]);
        assertEquals(5L, ModelDescription.layout(c).shapes().get("dec_0_W")[0]);
        assertFalse(names.contains("q_z1_0_W"), names.toString());
        assertTrue(names.contains("p_z1_mu_W"), names.toString());
    }

    /** First column of layer k's noise: the layers from the top, z_3 first. */
    private static int offset(int k) {
        int o = 0;
        for (int j = K; j > k; j--) {
            o += DIMS[j];
        }
        return o;
    }

    private static double[] sample(double[] mu, double[] logvar, float[] eps, int from) {
        double[] z = new double[mu.length];
        for (int j = 0; j < z.length; j++) {
            z[j] = mu[j] + Math.exp(0.5 * logvar[j]) * eps[from + j];
        }
        return z;
    }

    /** z_from .. z_to side by side. */
    private static double[] concat(double[][] z, int from, int to) {
        double[] out = new double[0];
        for (int k = from; k <= to; k++) {
            out = concat(out, z[k]);
        }
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double logNormal(double[] z, double[] mu, double[] logvar) {
        double s = 0;
        for (int j = 0; j < z.length; j++) {
            double d = z[j] - mu[j];
            s += -0.5 * d * d * Math.exp(-logvar[j]) - 0.5 * logvar[j] - HALF_LOG_2PI;
        }
        return s;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-4 * (1 + Math.abs(expected)), what);
    }
}
