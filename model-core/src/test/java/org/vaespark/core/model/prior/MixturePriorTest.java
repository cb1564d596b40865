package org.vaespark.core.model.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.samediff.ModelGraph;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.ReferenceVae;
import org.vaespark.core.testing.TestConfigs;

/**
 * The mixture-of-Gaussians prior and the VampPrior (Tomczak &amp; Welling 2018) against a direct
 * double-precision computation: log p(z) = log (1/K) sum_k N(z; mu_k, diag sigma_k^2), with
 * (mu_k, sigma_k) free parameters (MoG) or the encoder's output on pseudo-inputs (VampPrior).
 */
class MixturePriorTest {
    private static final int DIM = 9;
    private static final int D = 3;

    private static VaeConfig config(String... overrides) {
        return VaeConfig.from(TestConfigs.small(overrides).with("model.encoder.hidden=[7]", "model.decoder.hidden=[6]",
                "model.latent-dim=" + D, "model.activation=tanh").config(), DIM);
    }

    @ParameterizedTest
    @CsvSource({"1,3", "4,2", "10,1"})
    void mixtureOfGaussiansMatchesDirectComputation(int k, int samples) {
        VaeConfig c = config("model.prior.kind=mog", "model.prior.components=" + k);
        SplittableRandom rng = new SplittableRandom(11);
        NamedArrays p = Vae.initialise(c, 3).parameters().map((name, v) -> {
            float[] out = v.clone();
            for (int i = 0; i < out.length; i++) {
                if (name.equals(MixtureOfGaussiansPrior.MEANS)) {
                    out[i] = (float) (2 * rng.nextDouble() - 1) * 2;
                } else if (name.equals(MixtureOfGaussiansPrior.LOGVARS)) {
                    out[i] = (float) (rng.nextDouble() * 3 - 2);
                }
            }
            return out;
        });
        double[][] means = rows(p, MixtureOfGaussiansPrior.MEANS);
        double[][] logvars = rows(p, MixtureOfGaussiansPrior.LOGVARS);
        checkAgainst(c, p, samples, means, logvars);
    }

    @ParameterizedTest
    @CsvSource({"3,true", "3,false", "1,true"})
    void vampPriorMatchesDirectComputation(int k, boolean hardTanh) {
        VaeConfig c = config("model.prior.kind=vamp", "model.prior.components=" + k,
                "model.prior.pseudo-inputs.hard-tanh=" + hardTanh);
        SplittableRandom rng = new SplittableRandom(5);
        NamedArrays p = Vae.initialise(c, 4).parameters().map((name, v) -> {
            float[] out = v.clone();
            if (name.equals(VampPrior.PSEUDO_INPUTS)) {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (rng.nextDouble() * 2 - 0.5);   // partly outside [0, 1]: the clamp matters
                }
            }
            return out;
        });
        ReferenceVae ref = new ReferenceVae(c, p);
        float[] u = p.values(VampPrior.PSEUDO_INPUTS);
        double[][] means = new double[k][];
        double[][] logvars = new double[k][];
        for (int j = 0; j < k; j++) {
            float[] uj = Arrays.copyOfRange(u, j * DIM, (j + 1) * DIM);
            if (hardTanh) {
                for (int i = 0; i < DIM; i++) {
                    uj[i] = Math.max(0f, Math.min(1f, uj[i]));
                }
            }
            double[][] enc = ref.encode(uj);
            means[j] = enc[0];
            logvars[j] = enc[1];
        }
        checkAgainst(c, p, 3, means, logvars);
    }

    /** With one pseudo-input equal to x, the VampPrior is q(z|x): log p(z) = log q(z|x) for z ~ q(z|x). */
    @ParameterizedTest
    @CsvSource({"false,-1.0,2.0", "true,0.0,1.0"})
    void vampPriorWithOnePseudoInputEqualToXIsTheEncoderDensity(boolean hardTanh, double low, double high) {
        VaeConfig c = config("model.prior.kind=vamp", "model.prior.components=1",
                "model.prior.pseudo-inputs.hard-tanh=" + hardTanh);
        SplittableRandom rng = new SplittableRandom(8);
        float[] x = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            x[i] = (float) (low + (high - low) * rng.nextDouble());
        }
        NamedArrays p = Vae.initialise(c, 6).parameters().map((name, v) -> name.equals(VampPrior.PSEUDO_INPUTS) ? x.clone() : v);
        int samples = 6;
        double[] eps = normals(rng, samples * D, 1.5);
        Map<String, INDArray> out = evaluate(c, p, x, eps, samples, DataType.DOUBLE, VaeNames.LOG_PZ, VaeNames.LOG_QZ_X);
        double[][] enc = new ReferenceVae(c, p).encode(x);
        for (int s = 0; s < samples; s++) {
            double[] z = latent(enc, eps, s);
            double logQ = ReferenceVae.logDiagNormal(z, enc[0], enc[1]);
            assertEquals(logQ, out.get(VaeNames.LOG_QZ_X).getDouble(s, 0), 1e-9 * (1 + Math.abs(logQ)));
            assertEquals(logQ, out.get(VaeNames.LOG_PZ).getDouble(s, 0), 1e-9 * (1 + Math.abs(logQ)));
        }
    }

    @Test
    void farFromEveryComponentTheFloatGraphStaysFinite() {
        VaeConfig c = config("model.prior.kind=mog", "model.prior.components=5");
        NamedArrays p = Vae.initialise(c, 2).parameters();
        float[] x = new float[DIM];
        Arrays.fill(x, 0.5f);
        double[] eps = {60, -80, 70};
        Map<String, INDArray> out = evaluate(c, p, x, eps, 1, DataType.FLOAT, VaeNames.LOG_PZ);
        double[][] enc = new ReferenceVae(c, p).encode(x);
        double expected = mixture(latent(enc, eps, 0), rows(p, MixtureOfGaussiansPrior.MEANS), rows(p, MixtureOfGaussiansPrior.LOGVARS));
        assertTrue(expected < -3000, "the test point should be far out: " + expected);
        assertEquals(expected, out.get(VaeNames.LOG_PZ).getDouble(0, 0), 1e-5 * Math.abs(expected));
    }

    /** Feeds two examples (x and 1 - x) with random noise, scaled up for the second sample, and compares log p(z). */
    private static void checkAgainst(VaeConfig c, NamedArrays p, int samples, double[][] means, double[][] logvars) {
        SplittableRandom rng = new SplittableRandom(21);
        float[] x = new float[2 * DIM];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        double[] eps = normals(rng, samples * 2 * D, 1.0);
        for (int j = 0; j < 2 * D && samples > 1; j++) {
            eps[2 * D + j] *= 6;   // sample 1: far in the tails, where a naive exp would underflow
        }
        Map<String, INDArray> out = evaluate(c, p, x, eps, samples, DataType.DOUBLE, VaeNames.LOG_PZ);
        ReferenceVae ref = new ReferenceVae(c, p);
        for (int b = 0; b < 2; b++) {
            double[][] enc = ref.encode(Arrays.copyOfRange(x, b * DIM, (b + 1) * DIM));
            for (int s = 0; s < samples; s++) {
                double[] z = new double[D];
                for (int j = 0; j < D; j++) {
                    z[j] = enc[0][j] + Math.exp(0.5 * enc[1][j]) * eps[(s * 2 + b) * D + j];
                }
                double expected = mixture(z, means, logvars);
                assertEquals(expected, out.get(VaeNames.LOG_PZ).getDouble(s, b), 1e-9 * (1 + Math.abs(expected)),
                        "log p(z) of sample " + s + ", example " + b);
            }
        }
    }

    /** log (1/K) sum_k N(z; mu_k, diag exp(logvar_k)), summed term by term in double. */
    private static double mixture(double[] z, double[][] means, double[][] logvars) {
        int k = means.length;
        double[] l = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            l[c] = ReferenceVae.logDiagNormal(z, means[c], logvars[c]);
            max = Math.max(max, l[c]);
        }
        double sum = 0;
        for (double v : l) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum / k);
    }

    private static Map<String, INDArray> evaluate(VaeConfig c, NamedArrays p, float[] x, double[] eps, int samples,
                                                  DataType dtype, String... outputs) {
        int batch = x.length / DIM;
        SameDiff sd = ModelGraph.build(c, p, dtype);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(VaeNames.X, Nd4j.create(x, new long[]{batch, DIM}, 'c').castTo(dtype));
        ph.put(VaeNames.EPS, Nd4j.create(eps, new long[]{samples, batch, D}, 'c').castTo(dtype));
        return sd.output(ph, outputs);
    }

    private static double[] latent(double[][] enc, double[] eps, int s) {
        double[] z = new double[D];
        for (int j = 0; j < D; j++) {
            z[j] = enc[0][j] + Math.exp(0.5 * enc[1][j]) * eps[s * D + j];
        }
        return z;
    }

    private static double[] normals(SplittableRandom rng, int n, double scale) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double u1 = 1 - rng.nextDouble();
            out[i] = scale * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble());
        }
        return out;
    }

    private static double[][] rows(NamedArrays p, String name) {
        long[] shape = p.shape(name);
        float[] v = p.values(name);
        double[][] out = new double[(int) shape[0]][(int) shape[1]];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = v[i * out[i].length + j];
            }
        }
        return out;
    }
}
