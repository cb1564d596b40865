package org.vaespark.core.model.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.samediff.ModelGraph;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.GradientCheck;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.Shard;

/**
 * M2 (Kingma et al. 2014) against plain-Java double-precision arithmetic over its per-class
 * outputs: the unlabelled bound U(x) = sum_y q(y|x) L(x, y) + H(q(y|x)), the labelled bound
 * L(x, y) + alpha log q(y|x), and the importance weight logsumexp_y.
 */
class SemiSupervisedVaeTest {
    private static final int B = 5;
    private static final int S = 3;
    private static final int K = 10;
    private static final double ALPHA = 2.5;

    private final VaeConfig config = VaeConfig.from(TestConfigs.small("model.kind=m2", "model.labels.classifier-hidden=[8]",
            "model.labels.alpha=" + ALPHA, "model.encoder.hidden=[6]", "model.decoder.hidden=[6]", "model.latent-dim=3").config(),
            new ImageShape(28, 28, 1));
    private final Shard data = MnistRows.raw("train", B, 0);

    private Map<String, INDArray> run(int[] labels, double beta, String... names) {
        SameDiff sd = ModelGraph.build(config, Vae.initialise(config, 11).parameters(), DataType.DOUBLE);
        return sd.output(placeholders(labels, beta), names);
    }

    /** Binarized rows, noise and labels; {@code labels} null or an entry {@code < 0}: unlabelled. */
    private Map<String, INDArray> placeholders(int[] labels, double beta) {
        double[] x = new double[B * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (data.pixels()[i] & 0xFF) > 127 ? 1 : 0;
        }
        float[] eps = new float[S * B * 3];
        NoiseSource.fill(eps, 5, 6, data.ids(), 0, S, 3);
        double[] y = new double[B * K];
        double[] mask = new double[B];
        for (int b = 0; b < B; b++) {
            if (labels != null && labels[b] >= 0) {
                y[b * K + labels[b]] = 1;
                mask[b] = 1;
            }
        }
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(VaeNames.X, Nd4j.create(x, new long[]{B, 784}, 'c'));
        ph.put(VaeNames.EPS, Nd4j.create(eps, new long[]{S, B, 3}, 'c').castTo(DataType.DOUBLE));
        ph.put(VaeNames.BETA, Nd4j.scalar(beta));
        ph.put(VaeNames.Y, Nd4j.create(y, new long[]{B, K}, 'c'));
        ph.put(VaeNames.LABELLED, Nd4j.create(mask, new long[]{B}, 'c'));
        return ph;
    }

    private static double[][][] perClass(INDArray a) {
        double[][][] out = new double[S][K][B];
        for (int s = 0; s < S; s++) {
            for (int k = 0; k < K; k++) {
                for (int b = 0; b < B; b++) {
                    out[s][k][b] = a.getDouble(s, k, b);
                }
            }
        }
        return out;
    }

    @Test
    void theUnlabelledLossIsTheExpectedBoundOverClassesPlusTheEntropy() {
        Map<String, INDArray> o = run(null, 1.0, VaeNames.LOSS, VaeNames.LOG_PX_ZY, VaeNames.LOG_PZ_Y, VaeNames.LOG_QZ_XY,
                VaeNames.LOG_QY_X, VaeNames.LOG_PX_Z, VaeNames.LOG_PZ, VaeNames.LOG_QZ_X);
        double[][][] px = perClass(o.get(VaeNames.LOG_PX_ZY));
        double[][][] pz = perClass(o.get(VaeNames.LOG_PZ_Y));
        double[][][] qz = perClass(o.get(VaeNames.LOG_QZ_XY));
        double[][] logQy = o.get(VaeNames.LOG_QY_X).toDoubleMatrix();
        double total = 0;
        double[] perExample = new double[B];
        for (int b = 0; b < B; b++) {
            double norm = 0;
            for (int k = 0; k < K; k++) {
                norm += Math.exp(logQy[b][k]);
            }
            assertEquals(1.0, norm, 1e-12, "q(y|x) sums to 1");
            for (int s = 0; s < S; s++) {
                double u = 0;
                for (int k = 0; k < K; k++) {
                    double q = Math.exp(logQy[b][k]);
                    double elbo = px[s][k][b] + pz[s][k][b] - Math.log(K) - qz[s][k][b];
                    u += q * elbo - q * logQy[b][k];
                }
                total += u;
                perExample[b] += u / S;
            }
        }
        assertEquals(-total / (S * B), o.get(VaeNames.LOSS).getDouble(0), 1e-9);
        double[] elbo = Vae.elbo(o);
        for (int b = 0; b < B; b++) {
            assertEquals(perExample[b], elbo[b], 1e-9, "the q(y|x)-weighted outputs give U(x)");
        }
    }

    @Test
    void theLabelledLossIsTheBoundAtTheLabelPlusAlphaLogQ() {
        int[] labels = new int[B];
        for (int b = 0; b < B; b++) {
            labels[b] = data.labels()[b];
        }
        double beta = 0.6;
        Map<String, INDArray> o = run(labels, beta, VaeNames.LOSS, VaeNames.LOG_PX_ZY, VaeNames.LOG_PZ_Y, VaeNames.LOG_QZ_XY,
                VaeNames.LOG_QY_X);
        double[][][] px = perClass(o.get(VaeNames.LOG_PX_ZY));
        double[][][] pz = perClass(o.get(VaeNames.LOG_PZ_Y));
        double[][][] qz = perClass(o.get(VaeNames.LOG_QZ_XY));
        double[][] logQy = o.get(VaeNames.LOG_QY_X).toDoubleMatrix();
        double total = 0;
        for (int b = 0; b < B; b++) {
            int y = labels[b];
            for (int s = 0; s < S; s++) {
                total += px[s][y][b] - Math.log(K) - beta * (qz[s][y][b] - pz[s][y][b]) + ALPHA * logQy[b][y];
            }
        }
        assertEquals(-total / (S * B), o.get(VaeNames.LOSS).getDouble(0), 1e-9);
    }

    @Test
    void theImportanceWeightIsTheLogSumExpOverClasses() {
        Map<String, INDArray> o = run(null, 1.0, VaeNames.LOG_W, VaeNames.LOG_PX_ZY, VaeNames.LOG_PZ_Y, VaeNames.LOG_QZ_XY);
        double[][][] px = perClass(o.get(VaeNames.LOG_PX_ZY));
        double[][][] pz = perClass(o.get(VaeNames.LOG_PZ_Y));
        double[][][] qz = perClass(o.get(VaeNames.LOG_QZ_XY));
        for (int s = 0; s < S; s++) {
            for (int b = 0; b < B; b++) {
                double sum = 0;
                for (int k = 0; k < K; k++) {
                    sum += Math.exp(px[s][k][b] + pz[s][k][b] - Math.log(K) - qz[s][k][b] + 400);   // shift keeps exp in range
                }
                double expected = Math.log(sum) - 400;
                assertEquals(expected, o.get(VaeNames.LOG_W).getDouble(s, b), 1e-9 * Math.abs(expected));
            }
        }
    }

    @Test
    void everyClassUsesTheSameNoiseAndTheStandardNormalLogDensities() {
        Map<String, INDArray> o = run(null, 1.0, VaeNames.LOG_PZ_Y, VaeNames.LOG_QZ_XY);
        // z = mu_y + sigma_y eps: log q(z|x,y) + 0.5 |eps|^2 + 1.5 log 2pi = -0.5 sum_j logvar_yj, which varies with y,
        // while sum_j log N(eps_j) is the same for every class.
        INDArray qz = o.get(VaeNames.LOG_QZ_XY);
        boolean differs = false;
        for (int k = 1; k < K; k++) {
            differs |= Math.abs(qz.getDouble(0, k, 0) - qz.getDouble(0, 0, 0)) > 1e-12;
        }
        assertTrue(differs, "q(z|x, y) depends on y");
        double[] logPz = o.get(VaeNames.LOG_PZ_Y).dup().data().asDouble();
        for (double v : logPz) {
            assertTrue(v <= -3 * 0.5 * Math.log(2 * Math.PI) + 1e-12, "log N(z; 0, I) <= its mode value");
        }
    }

    /**
     * Regression: with every decoder ReLU unit off, each row's logits are the output bias exactly, here 0
     * (its initial value; at initialisation some replicated (s, y, b) rows are like this). Every example
     * then weighs its log p(x|z, y) rows by 1 in total (labelled: the one-hot label; unlabelled: q(y|x)),
     * so dLOSS/d dec_out_b_j = mean_b (sigma(0) - x_bj) = mean_b (1/2 - x_bj) exactly. A softplus whose
     * reverse mode takes relu'(0) = |.|'(0) = 0 gives 0 for sigma(0) and failed the family gradient check
     * on M2 with a mixed batch (dec_out_b only: these rows have no hidden activity to reach dec_out_W).
     */
    @Test
    void theDecoderBiasGradientIsExactWhereEveryLogitIsZero() {
        String hiddenBias = VaeNames.bias(VaeNames.decoderLayer(0));
        NamedArrays params = Vae.initialise(config, 11).parameters().map((name, v) -> {
            if (name.equals(hiddenBias)) {
                float[] off = new float[v.length];
                java.util.Arrays.fill(off, -100f);
                return off;
            }
            return name.equals(VaeNames.DEC_OUT_B) ? new float[v.length] : v;
        });
        SameDiff sd = ModelGraph.build(config, params, DataType.DOUBLE);
        int[] labels = {data.labels()[0], -1, data.labels()[2], -1, -1};
        Map<String, INDArray> ph = placeholders(labels, 0.8);
        INDArray grad = sd.calculateGradients(ph, VaeNames.DEC_OUT_B).get(VaeNames.DEC_OUT_B);
        INDArray x = ph.get(VaeNames.X);
        for (int j = 0; j < 784; j++) {
            double expected = 0;
            for (int b = 0; b < B; b++) {
                expected += (0.5 - x.getDouble(b, j)) / B;
            }
            assertEquals(expected, grad.getDouble(j), 1e-12, "dLOSS/d dec_out_b[" + j + "]");
        }
        GradientCheck.check(sd, ph, VaeNames.LOSS, 4, 1e-6);
    }

    @Test
    void unsupportedCombinationsNameTheirKey() {
        VaeException e = assertThrows(VaeException.class, () -> VaeConfig.from(TestConfigs.small("model.kind=m2",
                "model.labels.classes=1").config(), 784));
        assertTrue(e.getMessage().contains("model.labels.classes"), e.getMessage());
        Settings s = TestConfigs.small("model.kind=m2", "model.objective.free-bits=1");
        e = assertThrows(VaeException.class, () -> VaeConfig.from(s.config(), 784));
        assertTrue(e.getMessage().contains("model.objective.kind"), e.getMessage());
    }
}
