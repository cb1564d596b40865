package org.vaespark.core.model.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.testing.TestConfigs;

/**
 * The discretized logistic and its mixture (Salimans et al. 2017) against a plain-Java double
 * computation of CDF differences: masses of all 256 levels sum to 1, each mass matches, the RGB
 * coupling gives conditionals that sum to the Java marginals, and the pixel-major layout holds.
 */
class DiscretizedLogisticTest {

    private static double sigmoid(double t) {
        return 1 / (1 + Math.exp(-t));
    }

    /** P(level v) under a logistic in [-1, 1] scale, edge bins to +-infinity, log-scale clamped at -7. */
    static double mass(int v, double mean, double logScale) {
        double s = Math.exp(Math.max(logScale, -7));
        double x = 2.0 * v / 255 - 1;
        double upper = v == 255 ? 1 : sigmoid((x + 1.0 / 255 - mean) / s);
        double lower = v == 0 ? 0 : sigmoid((x - 1.0 / 255 - mean) / s);
        return upper - lower;
    }

    private static double[] softmax(double[] logits) {
        double m = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            m = Math.max(m, l);
        }
        double z = 0;
        for (double l : logits) {
            z += Math.exp(l - m);
        }
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - m) / z;
        }
        return p;
    }

    /** Evaluates log p(x|out) of the likelihood on rows of levels, the same decoder outputs for every row. */
    static double[] graphLogProb(DataType dtype, ImageShape shape, int mixtures, String likelihood, int[][] levels,
                                 double[] params) {
        VaeConfig c = VaeConfig.from(TestConfigs.small("model.likelihood=" + likelihood,
                "model.logistic.mixtures=" + mixtures).config(), shape);
        ObservationModel m = Likelihoods.create(c);
        assertEquals(params.length, m.outputWidth());
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, c, dtype);
        SDVariable out = sd.placeHolder("out", dtype, 1, -1, m.outputWidth());
        SDVariable lp = m.logProb(g, g.x(), out);
        int b = levels.length;
        double[] x = new double[b * levels[0].length];
        double[] o = new double[b * params.length];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < levels[i].length; j++) {
                x[i * levels[i].length + j] = levels[i][j] / 255.0;
            }
            System.arraycopy(params, 0, o, i * params.length, params.length);
        }
        INDArray xs = Nd4j.create(x, new long[]{b, levels[0].length}, 'c').castTo(dtype);
        INDArray os = Nd4j.create(o, new long[]{1, b, params.length}, 'c').castTo(dtype);
        INDArray r = sd.output(java.util.Map.of(g.x().name(), xs, "out", os), lp.name()).get(lp.name());
        assertEquals(2, r.rank());
        return r.castTo(DataType.DOUBLE).dup().data().asDouble();
    }

    private static int[][] allLevels() {
        int[][] v = new int[256][1];
        for (int i = 0; i < 256; i++) {
            v[i][0] = i;
        }
        return v;
    }

    @Test
    void logisticMassesSumToOneAndMatchCdfDifferences() {
        Random rng = new Random(11);
        double[][] cases = {{0.3, -2}, {-1, -6}, {1, -8}, {0.02, -7}, {0.7, 1.5}, {-0.9, -4.5},
                {rng.nextDouble() * 2.4 - 1.2, rng.nextDouble() * 5 - 5}, {rng.nextDouble() * 2.4 - 1.2, rng.nextDouble() * 5 - 5}};
        for (double[] p : cases) {
            double[] lp = graphLogProb(DataType.DOUBLE, new ImageShape(1, 1, 1), 1, "logistic", allLevels(), p);
            double sum = 0;
            for (int v = 0; v < 256; v++) {
                double want = mass(v, p[0], p[1]);
                assertEquals(want, Math.exp(lp[v]), 1e-10, "level " + v + " mean " + p[0] + " log-scale " + p[1]);
                if (want > 1e-6) {
                    assertEquals(Math.log(want), lp[v], 1e-6 * Math.abs(Math.log(want)) + 1e-8);
                }
                sum += Math.exp(lp[v]);
            }
            assertEquals(1.0, sum, 1e-5, "mean " + p[0] + " log-scale " + p[1]);
        }
    }

    @Test
    void logisticUsesPixelMajorLayoutAndSumsOverValues() {
        // 1x2 image, 2 channels: per pixel [mean ch0, mean ch1, log-scale ch0, log-scale ch1].
        double[] p = {0.1, -0.5, -3, -2, 0.8, 0.0, -1, -4.2};
        int[][] x = {{30, 120, 250, 0}, {255, 7, 128, 129}};
        double[] lp = graphLogProb(DataType.DOUBLE, new ImageShape(1, 2, 2), 1, "logistic", x, p);
        for (int i = 0; i < x.length; i++) {
            double want = 0;
            for (int pix = 0; pix < 2; pix++) {
                for (int ch = 0; ch < 2; ch++) {
                    want += Math.log(mass(x[i][pix * 2 + ch], p[pix * 4 + ch], p[pix * 4 + 2 + ch]));
                }
            }
            assertEquals(want, lp[i], 1e-8);
        }
    }

    @Test
    void greyMixtureSumsToOneAndMatchesJava() {
        Random rng = new Random(5);
        for (int trial = 0; trial < 4; trial++) {
            int k = 3;
            double[] p = new double[3 * k];
            for (int i = 0; i < k; i++) {
                p[i] = rng.nextGaussian() * 2;
                p[k + i] = rng.nextDouble() * 2.2 - 1.1;
                p[2 * k + i] = rng.nextDouble() * 5 - 5.5;
            }
            double[] pi = softmax(java.util.Arrays.copyOfRange(p, 0, k));
            double[] lp = graphLogProb(DataType.DOUBLE, new ImageShape(1, 1, 1), k, "logistic-mixture", allLevels(), p);
            double sum = 0;
            for (int v = 0; v < 256; v++) {
                double want = 0;
                for (int j = 0; j < k; j++) {
                    want += pi[j] * mass(v, p[k + j], p[2 * k + j]);
                }
                assertEquals(want, Math.exp(lp[v]), 1e-10, "level " + v);
                sum += Math.exp(lp[v]);
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }

    /** Random RGB mixture parameters for K components: 10 K values. */
    private static double[] rgbParams(Random rng, int k) {
        double[] p = new double[10 * k];
        for (int i = 0; i < k; i++) {
            p[i] = rng.nextGaussian();
            for (int ch = 0; ch < 3; ch++) {
                p[k + ch * k + i] = rng.nextDouble() * 1.6 - 0.8;
                p[4 * k + ch * k + i] = rng.nextDouble() * 2.5 - 3.5;
                p[7 * k + ch * k + i] = rng.nextGaussian();
            }
        }
        return p;
    }

    /** Java p(r, g, b) of the PixelCNN++ coupled mixture (layout of LogisticMixtureLikelihood); null b or g marginalised. */
    private static double rgbJava(double[] p, int k, int r, Integer g, Integer b) {
        double[] pi = softmax(java.util.Arrays.copyOfRange(p, 0, k));
        double rs = 2.0 * r / 255 - 1;
        double total = 0;
        for (int j = 0; j < k; j++) {
            double term = pi[j] * mass(r, p[k + j], p[4 * k + j]);
            if (g != null) {
                double gs = 2.0 * g / 255 - 1;
                term *= mass(g, p[2 * k + j] + Math.tanh(p[7 * k + j]) * rs, p[5 * k + j]);
                if (b != null) {
                    double mb = p[3 * k + j] + Math.tanh(p[8 * k + j]) * rs + Math.tanh(p[9 * k + j]) * gs;
                    term *= mass(b, mb, p[6 * k + j]);
                }
            }
            total += term;
        }
        return total;
    }

    @Test
    void rgbMixtureConditionalsSumToJavaMarginals() {
        Random rng = new Random(9);
        int k = 2;
        double[] p = rgbParams(rng, k);
        int r = 10;
        int g = 200;
        int[][] overB = new int[256][];
        for (int b = 0; b < 256; b++) {
            overB[b] = new int[]{r, g, b};
        }
        double[] lp = graphLogProb(DataType.DOUBLE, new ImageShape(1, 1, 3), k, "logistic-mixture", overB, p);
        double sum = 0;
        for (int b = 0; b < 256; b++) {
            assertEquals(rgbJava(p, k, r, g, b), Math.exp(lp[b]), 1e-12, "b = " + b);
            sum += Math.exp(lp[b]);
        }
        assertEquals(rgbJava(p, k, r, g, null), sum, 1e-10);

        int r2 = 77;
        int[][] overGb = new int[256 * 256][];
        for (int i = 0; i < overGb.length; i++) {
            overGb[i] = new int[]{r2, i / 256, i % 256};
        }
        double[] lp2 = graphLogProb(DataType.DOUBLE, new ImageShape(1, 1, 3), k, "logistic-mixture", overGb, p);
        double sum2 = 0;
        for (double l : lp2) {
            sum2 += Math.exp(l);
        }
        assertEquals(rgbJava(p, k, r2, null, null), sum2, 1e-9);
    }

    @Test
    void rgbMixtureSumsOverPixelsInPixelMajorLayout() {
        Random rng = new Random(21);
        int k = 3;
        double[] pix0 = rgbParams(rng, k);
        double[] pix1 = rgbParams(rng, k);
        double[] p = new double[20 * k];
        System.arraycopy(pix0, 0, p, 0, 10 * k);
        System.arraycopy(pix1, 0, p, 10 * k, 10 * k);
        int[][] x = {{0, 255, 31, 128, 64, 250}, {255, 0, 0, 3, 140, 77}, {100, 100, 100, 200, 10, 255}};
        double[] lp = graphLogProb(DataType.DOUBLE, new ImageShape(1, 2, 3), k, "logistic-mixture", x, p);
        for (int i = 0; i < x.length; i++) {
            double want = Math.log(rgbJava(pix0, k, x[i][0], x[i][1], x[i][2]))
                    + Math.log(rgbJava(pix1, k, x[i][3], x[i][4], x[i][5]));
            // relative: the Java CDF differences lose digits on the small masses of edge levels
            assertEquals(want, lp[i], 1e-7 * Math.abs(want), "row " + i);
        }
    }

    @Test
    void extremeParametersStayFiniteInFloat() {
        int[][] x = {{0}, {1}, {128}, {254}, {255}};
        for (double[] p : new double[][]{{3, -10}, {-3, -10}, {0, 12}, {0.5, -7}, {-40, 0}, {40, 3}}) {
            for (double l : graphLogProb(DataType.FLOAT, new ImageShape(1, 1, 1), 1, "logistic", x, p)) {
                assertTrue(Double.isFinite(l), "mean " + p[0] + " log-scale " + p[1] + ": " + l);
            }
        }
    }

    @Test
    void mixtureRejectsTwoChannelImages() {
        VaeException e = assertThrows(VaeException.class, () -> VaeConfig.from(TestConfigs.small(
                "model.likelihood=logistic-mixture").config(), new ImageShape(4, 4, 2)));
        assertTrue(e.getMessage().contains("model.likelihood"), e.getMessage());
    }
}
