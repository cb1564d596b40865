package org.vaespark.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.testing.Variant;
import org.vaespark.core.testing.Variants;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;

/**
 * The per-layer KL of the two-layer HVAE (Tomczak &amp; Welling 2018) as the IWAE estimator reports
 * it: on real MNIST rows, kl_z2 equals a plain double computation of the mean over the k samples
 * of log q(z2|x) − log N(z2; 0, I) from the encoder's moments and the same noise, kl_z1 equals
 * the graph's total log q(z|x) − log p(z) minus that, and kl_z1 + kl_z2 is the reported KL. A
 * one-layer VAE carries no per-layer KL.
 */
class LayerKlTest {
    private static final int DIM = 784;
    private static final int K = 10;
    private static final int CHUNK = 4;
    private static final long SEED = 17;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final Shard ROWS = MnistRows.binarized("test", 4, 0);

    private static Vae perturbed(VaeConfig c) {
        Vae vae = Vae.initialise(c, 3);
        SplittableRandom rng = new SplittableRandom(8);
        vae.setParameters(vae.parameters().map((n, a) -> {
            float[] out = a.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] += (float) (0.1 * (rng.nextDouble() - 0.5));
            }
            return out;
        }));
        return vae;
    }

    private static float[] inputs() {
        float[] x = new float[ROWS.size() * DIM];
        for (int i = 0; i < ROWS.size(); i++) {
            PixelEncoding.encode(ROWS.pixels(), i, DIM, ROWS.ids()[i], Binarization.STATIC, 0, 0, x, i);
        }
        return x;
    }

    private static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    @Test
    void perLayerKlsSumToTheKlAndMatchADirectComputation() {
        Variant hvae = Variants.all().stream().filter(v -> v.name().equals("hvae")).findFirst().orElseThrow();
        VaeConfig c = TestConfigs.model(hvae.settings(), DIM);
        assertEquals(ModelKind.HVAE, c.kind());
        int d2 = c.structure().topLatentDim();
        int n = c.noiseDim();
        int batch = ROWS.size();
        Vae vae = perturbed(c);
        float[] x = inputs();
        ExampleEstimate[] est = new IwaeEstimator(vae, K, CHUNK, SEED).estimate(ROWS.ids(), x);

        float[] eps = new float[K * batch * n];
        NoiseSource.fill(eps, SEED, NoiseSource.EVAL_STREAM, ROWS.ids(), 0, K, n);
        Map<String, INDArray> out = vae.output(Vae.matrix(x, batch, DIM), Nd4j.create(eps, new long[]{K, batch, n}, 'c'),
                VaeNames.Z_MEAN, VaeNames.Z_LOGVAR, VaeNames.LOG_PZ, VaeNames.LOG_QZ_X);
        double[] mu = doubles(out.get(VaeNames.Z_MEAN));
        double[] logvar = doubles(out.get(VaeNames.Z_LOGVAR));
        double[] logP = doubles(out.get(VaeNames.LOG_PZ));
        double[] logQ = doubles(out.get(VaeNames.LOG_QZ_X));
        for (int b = 0; b < batch; b++) {
            ExampleEstimate e = est[b];
            assertTrue(e.hasLayerKl(), "an HVAE estimate carries the per-layer KL");
            double top = 0;
            double total = 0;
            for (int s = 0; s < K; s++) {
                double logQz2 = 0;
                double logPz2 = 0;
                for (int j = 0; j < d2; j++) {
                    double u = eps[(s * batch + b) * n + j];
                    double lv = logvar[b * d2 + j];
                    double z = mu[b * d2 + j] + Math.exp(0.5 * lv) * u;
                    logQz2 += -0.5 * u * u - 0.5 * lv - HALF_LOG_2PI;
                    logPz2 += -0.5 * z * z - HALF_LOG_2PI;
                }
                top += (logQz2 - logPz2) / K;
                total += (logQ[s * batch + b] - logP[s * batch + b]) / K;
            }
            assertTrue(Math.abs(top) > 0.1 && Math.abs(total - top) > 0.1,
                    "the test needs both layers' KLs away from 0: " + top + ", " + (total - top));
            assertEquals(top, e.klZ2(), 1e-4 * (1 + Math.abs(top)), "example " + b + ": KL of z2");
            assertEquals(total - top, e.klZ1(), 1e-4 * (1 + Math.abs(total)), "example " + b + ": KL of z1");
            assertEquals(e.kl(), e.klZ1() + e.klZ2(), 1e-4 * (1 + Math.abs(e.kl())), "example " + b + ": kl_z1 + kl_z2 = kl");
            assertEquals(total, e.kl(), 1e-4 * (1 + Math.abs(total)), "example " + b + ": the Monte-Carlo KL");
        }
    }

    @Test
    void aOneLayerVaeHasNoPerLayerKl() {
        VaeConfig c = TestConfigs.model(TestConfigs.small(), DIM);
        ExampleEstimate[] est = new IwaeEstimator(perturbed(c), K, CHUNK, SEED).estimate(ROWS.ids(), inputs());
        for (ExampleEstimate e : est) {
            assertFalse(e.hasLayerKl());
            assertNull(e.klZ1());
            assertNull(e.klZ2());
        }
    }
}
