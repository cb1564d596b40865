package org.vaespark.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.ReferenceVae;

/** The SameDiff graph's per-example outputs and gradients against a direct double-precision computation. */
class VaeGraphTest {

    @ParameterizedTest
    @CsvSource({"BERNOULLI,RELU,3,4,5", "BERNOULLI,TANH,3,4,1", "GAUSSIAN,SOFTPLUS,1,4,5", "GAUSSIAN,TANH,2,1,1"})
    void perExampleOutputsMatchDirectComputation(Likelihood likelihood, Activation activation, int d, int batch, int samples) {
        int dim = 9;
        VaeConfig cfg = ReferenceVae.tiny(dim, d, likelihood, activation);
        Vae vae = Vae.initialise(cfg, 7);
        float[] x = data(batch, dim, likelihood, 3);
        float[] eps = new float[samples * batch * d];
        long[] ids = java.util.stream.LongStream.range(10, 10 + batch).toArray();
        NoiseSource.fill(eps, 1, NoiseSource.EVAL_STREAM, ids, 0, samples, d);
        Map<String, INDArray> out = vae.output(Vae.matrix(x, batch, dim), Nd4j.create(eps, new long[]{samples, batch, d}, 'c'),
                VaeNames.LOG_PX_Z, VaeNames.LOG_PZ, VaeNames.LOG_QZ_X, VaeNames.Z_MEAN, VaeNames.Z_LOGVAR, VaeNames.KL);
        ReferenceVae ref = new ReferenceVae(cfg, vae.parameters());
        for (int b = 0; b < batch; b++) {
            float[] xb = java.util.Arrays.copyOfRange(x, b * dim, (b + 1) * dim);
            double[][] enc = ref.encode(xb);
            double meanLogPx = 0;
            for (int s = 0; s < samples; s++) {
                double[] z = new double[d];
                for (int j = 0; j < d; j++) {
                    z[j] = enc[0][j] + Math.exp(0.5 * enc[1][j]) * eps[s * batch * d + b * d + j];
                }
                double logPx = ref.logPxGivenZ(xb, z);
                meanLogPx += logPx / samples;
                assertEquals(logPx, out.get(VaeNames.LOG_PX_Z).getDouble(s, b), 1e-3 * (1 + Math.abs(logPx)));
                assertEquals(ReferenceVae.logStdNormal(z), out.get(VaeNames.LOG_PZ).getDouble(s, b), 1e-4);
                assertEquals(ReferenceVae.logDiagNormal(z, enc[0], enc[1]), out.get(VaeNames.LOG_QZ_X).getDouble(s, b), 1e-4);
            }
            for (int j = 0; j < d; j++) {
                assertEquals(enc[0][j], out.get(VaeNames.Z_MEAN).getDouble(b, j), 1e-5);
                assertEquals(enc[1][j], out.get(VaeNames.Z_LOGVAR).getDouble(b, j), 1e-5);
            }
            double kl = ReferenceVae.analyticKl(enc[0], enc[1]);
            assertEquals(kl, out.get(VaeNames.KL).getDouble(b), 1e-4);
            assertEquals(meanLogPx - kl, Vae.elbo(out.get(VaeNames.LOG_PX_Z), out.get(VaeNames.KL))[b], 1e-3 * (1 + Math.abs(meanLogPx)));
        }
    }

    @ParameterizedTest
    @CsvSource({"BERNOULLI,TANH,2", "GAUSSIAN,SOFTPLUS,2", "BERNOULLI,RELU,1"})
    void gradientsMatchFiniteDifferencesOfTheLoss(Likelihood likelihood, Activation activation, int samples) {
        int dim = 6, d = 2, batch = 3;
        VaeConfig cfg = ReferenceVae.tiny(dim, d, likelihood, activation);
        Vae vae = Vae.initialise(cfg, 3);
        float[] x = data(batch, dim, likelihood, 5);
        float[] eps = new float[samples * batch * d];
        NoiseSource.fill(eps, 2, 9, new long[]{0, 1, 2}, 0, samples, d);
        INDArray xs = Vae.matrix(x, batch, dim);
        INDArray es = Nd4j.create(eps, new long[]{samples, batch, d}, 'c');
        Vae.Step step = vae.step(xs, es, VaeNames.LOSS);
        NamedArrays p0 = vae.parameters();
        int checked = 0;
        SplittableRandom pick = new SplittableRandom(4);
        for (String name : p0.names()) {
            float[] g = step.gradients().get(name).dup('c').data().asFloat();
            for (int t = 0; t < 3; t++) {
                int i = pick.nextInt(g.length);
                double h = 1e-3;
                double up = referenceLoss(cfg, perturb(p0, name, i, h), x, eps, batch, samples);
                double down = referenceLoss(cfg, perturb(p0, name, i, -h), x, eps, batch, samples);
                double fd = (up - down) / (2 * h);
                assertEquals(fd, g[i], 2e-3 + 2e-2 * Math.abs(fd), name + "[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked > 10);
        assertEquals(referenceLoss(cfg, p0, x, eps, batch, samples), step.outputs().get(VaeNames.LOSS).getDouble(0), 1e-3);
    }

    @Test
    void bernoulliLogLikelihoodIsFiniteAndExactForExtremeLogits() {
        VaeConfig cfg = ReferenceVae.tiny(4, 2, Likelihood.BERNOULLI, Activation.RELU);
        NamedArrays p = Vae.initialise(cfg, 1).parameters().map((n, v) -> n.equals(VaeNames.DEC_OUT_B)
                ? new float[]{200f, -200f, 200f, -200f} : n.equals(VaeNames.DEC_OUT_W) || n.equals(VaeNames.decoderWeight(0)) ? new float[v.length] : v);
        Vae vae = Vae.withParameters(cfg, p);
        float[] x = {1, 0, 0, 1};
        Map<String, INDArray> out = vae.output(Vae.matrix(x, 1, 4), Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 1, 2), VaeNames.LOG_PX_Z);
        // pixels 0 and 1 agree with their logits (log sigma(200) ~ -e^-200 ~ 0); pixels 2 and 3 cost 200 nats each
        assertEquals(-400.0, out.get(VaeNames.LOG_PX_Z).getDouble(0, 0), 1e-3);
    }

    private static double referenceLoss(VaeConfig cfg, NamedArrays p, float[] x, float[] eps, int batch, int samples) {
        ReferenceVae ref = new ReferenceVae(cfg, p);
        int dim = cfg.inputDim();
        int d = cfg.latentDim();
        double total = 0;
        for (int b = 0; b < batch; b++) {
            float[] xb = java.util.Arrays.copyOfRange(x, b * dim, (b + 1) * dim);
            double[][] enc = ref.encode(xb);
            double logPx = 0;
            for (int s = 0; s < samples; s++) {
                double[] z = new double[d];
                for (int j = 0; j < d; j++) {
                    z[j] = enc[0][j] + Math.exp(0.5 * enc[1][j]) * eps[s * batch * d + b * d + j];
                }
                logPx += ref.logPxGivenZ(xb, z) / samples;
            }
            total += logPx - cfg.beta() * ReferenceVae.analyticKl(enc[0], enc[1]);
        }
        return -total / batch;
    }

    private static NamedArrays perturb(NamedArrays p, String name, int index, double h) {
        return p.map((n, v) -> {
            if (!n.equals(name)) {
                return v;
            }
            float[] c = v.clone();
            c[index] += (float) h;
            return c;
        });
    }

    static float[] data(int batch, int dim, Likelihood likelihood, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[batch * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = likelihood == Likelihood.BERNOULLI ? (r.nextBoolean() ? 1f : 0f) : (float) r.nextDouble();
        }
        return x;
    }
}
