package org.vaespark.core.model.network;

import static org.vaespark.core.testing.JavaLayers.dense;
import static org.vaespark.core.testing.JavaLayers.tanh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The PixelCNN decoder (van den Oord et al. 2016) on a 6x6 image in double precision: the logit of
 * pixel j depends on x_i only for i &lt; j in raster order (every pair checked by perturbation), and
 * the whole output equals a plain-Java masked convolution stack computed from the parameters.
 */
class PixelCnnDecoderTest {
    private static final int H = 6;
    private static final int W = 6;
    private static final int D = H * W;
    private static final int LATENT = 2;
    private static final int BATCH = 2;
    private static final int SAMPLES = 2;
    private static final int CHANNELS = 4;
    private static final String LOGITS = "logits";

    private static VaeConfig config(int imageChannels) {
        return VaeConfig.from(Settings.defaults("model.encoder.hidden=[5]", "model.decoder.hidden=[5]",
                "model.latent-dim=" + LATENT, "model.activation=tanh", "model.pixelcnn.layers=2",
                "model.pixelcnn.channels=" + CHANNELS, "model.pixelcnn.kernel=3").config(), new ImageShape(H, W, imageChannels));
    }

    /** The decoder alone in a DOUBLE graph: z from the noise placeholder, output named {@link #LOGITS}. */
    private static SameDiff decoderGraph(VaeConfig c, NamedArrays params) {
        SameDiff sd = SameDiff.create();
        for (String name : params.names()) {
            sd.var(name, params.toNd4j(name).castTo(DataType.DOUBLE));
        }
        Graph g = new Graph(sd, c, DataType.DOUBLE);
        Decoder decoder = Networks.decoder(c, LATENT, 0, D);
        assertTrue(decoder instanceof PixelCnnDecoder);
        sd.identity(LOGITS, decoder.decode(g, g.flattenSamples(g.noise(0, LATENT), LATENT), null));
        return sd;
    }

    private static NamedArrays params(VaeConfig c) {
        SplittableRandom rng = new SplittableRandom(3);
        return ModelDescription.layout(c).initialise(9).map((n, a) -> {
            float[] out = a.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] += (float) (0.4 * (rng.nextDouble() - 0.5));
            }
            return out;
        });
    }

    private static Map<String, INDArray> feed(double[] x, double[] eps) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(VaeNames.X, Nd4j.create(x, new long[]{BATCH, D}, 'c'));
        ph.put(VaeNames.EPS, Nd4j.create(eps, new long[]{SAMPLES, BATCH, LATENT}, 'c'));
        return ph;
    }

    private static double[] uniform(int n, int seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble();
        }
        return v;
    }

    private static double[] logits(SameDiff sd, double[] x, double[] eps) {
        return sd.output(feed(x, eps), LOGITS).get(LOGITS).dup('c').data().asDouble();
    }

    @Test
    void pixelIInfluencesOnlyLaterPixelsInRasterOrder() {
        VaeConfig c = config(1);
        SameDiff sd = decoderGraph(c, params(c));
        double[] x = uniform(BATCH * D, 1);
        double[] eps = uniform(SAMPLES * BATCH * LATENT, 2);
        double[] base = logits(sd, x, eps);
        assertEquals(SAMPLES * BATCH * D, base.length);
        int b = 1;
        for (int i = 0; i < D; i++) {
            double[] moved = x.clone();
            moved[b * D + i] += 0.7;
            double[] out = logits(sd, moved, eps);
            for (int s = 0; s < SAMPLES; s++) {
                int changedLater = 0;
                for (int j = 0; j < D; j++) {
                    double other = Math.abs(out[(s * BATCH) * D + j] - base[(s * BATCH) * D + j]);
                    assertEquals(0, other, 1e-12, "x of example 1 changed example 0's logit " + j);
                    double delta = Math.abs(out[(s * BATCH + b) * D + j] - base[(s * BATCH + b) * D + j]);
                    if (j <= i) {
                        assertEquals(0, delta, 1e-12, "pixel " + i + " changed the logit of pixel " + j + " (sample " + s + ")");
                    } else if (delta > 1e-9) {
                        changedLater++;
                    }
                }
                if (i % W < W - 1) {
                    double right = Math.abs(out[(s * BATCH + b) * D + i + 1] - base[(s * BATCH + b) * D + i + 1]);
                    assertTrue(right > 1e-9, "pixel " + i + " does not reach its right neighbour");
                }
                if (i + W < D) {
                    double below = Math.abs(out[(s * BATCH + b) * D + i + W] - base[(s * BATCH + b) * D + i + W]);
                    assertTrue(below > 1e-9, "pixel " + i + " does not reach the pixel below");
                }
                assertTrue(i == D - 1 || changedLater > 0, "pixel " + i + " influences no later pixel");
            }
        }
        double[] otherNoise = eps.clone();
        otherNoise[0] += 0.5;
        double[] moved = logits(sd, x, otherNoise);
        assertTrue(Math.abs(moved[0] - base[0]) > 1e-9, "the first pixel's logit does not depend on z");
    }

    @Test
    void outputMatchesAPlainMaskedConvolutionStack() {
        VaeConfig c = config(1);
        NamedArrays p = params(c);
        SameDiff sd = decoderGraph(c, p);
        double[] x = uniform(BATCH * D, 5);
        double[] eps = uniform(SAMPLES * BATCH * LATENT, 6);
        double[] out = logits(sd, x, eps);
        for (int s = 0; s < SAMPLES; s++) {
            for (int b = 0; b < BATCH; b++) {
                double[] z = java.util.Arrays.copyOfRange(eps, (s * BATCH + b) * LATENT, (s * BATCH + b + 1) * LATENT);
                double[] image = java.util.Arrays.copyOfRange(x, b * D, (b + 1) * D);
                double[] expected = reference(p, z, image);
                for (int j = 0; j < D; j++) {
                    assertEquals(expected[j], out[(s * BATCH + b) * D + j], 1e-6, "logit " + j + " of row " + s + "," + b);
                }
            }
        }
    }

    @Test
    void theExampleConfigurationBuildsAPixelCnnDecoder() {
        VaeConfig c = VaeConfig.from(Settings.load(java.util.List.of("../conf/models/pixelcnn-bernoulli.conf"),
                java.util.List.of()).config(), new ImageShape(28, 28, 1));
        assertTrue(Networks.decoder(c, c.latentDim(), 0, c.inputDim()) instanceof PixelCnnDecoder);
    }

    @Test
    void multiChannelImagesAreRejected() {
        VaeException e = assertThrows(VaeException.class, () -> config(3));
        assertTrue(e.getMessage().contains("model.pixelcnn.layers"), e.getMessage());
    }

    /** The decoder computed directly: MLP map m, two masked 3x3 convs (zero padding) with tanh, 1x1 out, plus m. */
    private static double[] reference(NamedArrays p, double[] z, double[] x) {
        double[] map = dense(p, "dec_out", tanh(dense(p, "dec_0", z)));
        double[][] h = new double[D][1];
        for (int i = 0; i < D; i++) {
            h[i][0] = x[i];
        }
        for (int layer = 0; layer < 2; layer++) {
            float[] w = p.values("pcnn_" + layer + "_W");
            float[] bias = p.values("pcnn_" + layer + "_b");
            float[] cond = p.values("pcnn_" + layer + "_cond_W");
            int in = h[0].length;
            double[][] next = new double[D][CHANNELS];
            for (int r = 0; r < H; r++) {
                for (int col = 0; col < W; col++) {
                    for (int o = 0; o < CHANNELS; o++) {
                        double sum = bias[o] + map[r * W + col] * cond[o];
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int dy = ky - 1;
                                int dx = kx - 1;
                                boolean visible = dy < 0 || (dy == 0 && (dx < 0 || (dx == 0 && layer > 0)));
                                int rr = r + dy;
                                int cc = col + dx;
                                if (!visible || rr < 0 || rr >= H || cc < 0 || cc >= W) {
                                    continue;
                                }
                                for (int ci = 0; ci < in; ci++) {
                                    sum += h[rr * W + cc][ci] * w[((ky * 3 + kx) * in + ci) * CHANNELS + o];
                                }
                            }
                        }
                        next[r * W + col][o] = Math.tanh(sum);
                    }
                }
            }
            h = next;
        }
        double[] out = new double[D];
        for (int i = 0; i < D; i++) {
            out[i] = dense(p, PixelCnnDecoder.OUT, h[i])[0] + map[i];
        }
        return out;
    }
}
