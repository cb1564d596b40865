package org.vaespark.core.model.network;

import static org.vaespark.core.testing.JavaLayers.dense;
import static org.vaespark.core.testing.JavaLayers.tanh;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The PixelCNN decoder (van den Oord et al. 2016) on a 6x6 image in double precision: the logit of
 * pixel j depends on x_i only for i &lt; j in raster order (every pair checked by perturbation), and
 * the whole output equals a plain-Java masked convolution stack computed from the parameters; the
 * same for a 6x6 RGB image under the discretized logistic mixture (Salimans et al. 2017), every
 * channel of every pixel perturbed.
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
        return decoderGraph(c, params, D);
    }

    private static SameDiff decoderGraph(VaeConfig c, NamedArrays params, int outWidth) {
        SameDiff sd = SameDiff.create();
        for (String name : params.names()) {
            sd.var(name, params.toNd4j(name).castTo(DataType.DOUBLE));
        }
        Graph g = new Graph(sd, c, DataType.DOUBLE);
        Decoder decoder = Networks.decoder(c, LATENT, 0, outWidth);
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

    private static Map<String, INDArray> feed(double[] x, double[] eps, int dim) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(VaeNames.X, Nd4j.create(x, new long[]{BATCH, dim}, 'c'));
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
        return logits(sd, x, eps, D);
    }

    private static double[] logits(SameDiff sd, double[] x, double[] eps, int dim) {
        return sd.output(feed(x, eps, dim), LOGITS).get(LOGITS).dup('c').data().asDouble();
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
    void theRgbExampleConfigurationsBuildAPixelCnnDecoderForCifarAndImagenet64() {
        for (String file : java.util.List.of("pixelcnn-logistic-cifar10.conf", "pixelhvae-logistic-cifar10.conf")) {
            for (ImageShape image : java.util.List.of(new ImageShape(32, 32, 3), new ImageShape(64, 64, 3))) {
                VaeConfig c = VaeConfig.from(Settings.load(java.util.List.of("../conf/models/" + file), java.util.List.of()).config(), image);
                int width = org.vaespark.core.model.likelihood.Likelihoods.create(c).outputWidth();
                assertEquals(image.height() * image.width() * 100, width, file + ": 10 logistics x 10 outputs per pixel");
                assertTrue(Networks.decoder(c, c.latentDim(), 0, width) instanceof PixelCnnDecoder, file + " on " + image);
                assertEquals(java.util.List.of(5L, 5L, 3L, 32L), java.util.Arrays.stream(ModelDescription.layout(c).shapes()
                        .get(VaeNames.weight(PixelCnnDecoder.layer(0)))).boxed().toList(), file + ": mask A reads the 3 channels");
            }
        }
    }

    /**
     * RGB (Salimans et al. 2017): the decoder's outputs are K = 10 M values per pixel (M = 2 mixture components: logits,
     * the locations and log-scales of R, G, B, and the coupling coefficients alpha, beta, gamma). Changing any one
     * channel of pixel i, by perturbation, changes none of the K outputs of any pixel j &lt;= i (pixel i's own outputs
     * included: the ordering R, G, B inside pixel i is the likelihood's, through the observed R and G entering G's and
     * B's locations, tested in DiscretizedLogisticTest), and does change outputs of its right neighbour and of the pixel
     * below, and nothing of the other example.
     */
    @Test
    void anyChannelOfPixelIInfluencesOnlyLaterPixelsOfAnRgbImage() {
        VaeConfig c = rgbConfig();
        int perPixel = 10 * MIXTURES;
        int width = D * perPixel;
        assertEquals(width, org.vaespark.core.model.likelihood.Likelihoods.create(c).outputWidth());
        SameDiff sd = decoderGraph(c, params(c), width);
        int dim = D * 3;
        double[] x = levels(BATCH * dim, 11);
        double[] eps = uniform(SAMPLES * BATCH * LATENT, 12);
        double[] base = logits(sd, x, eps, dim);
        assertEquals(SAMPLES * BATCH * width, base.length);
        int b = 1;
        for (int i = 0; i < D; i++) {
            for (int ch = 0; ch < 3; ch++) {
                double[] moved = x.clone();
                int at = b * dim + i * 3 + ch;
                moved[at] = ((Math.round(moved[at] * 255) + 97) % 256) / 255.0;
                double[] out = logits(sd, moved, eps, dim);
                for (int s = 0; s < SAMPLES; s++) {
                    int other = (s * BATCH) * width;
                    int row = (s * BATCH + b) * width;
                    for (int j = 0; j < width; j++) {
                        assertEquals(base[other + j], out[other + j], 1e-12, "x of example 1 changed example 0's output " + j);
                    }
                    for (int j = 0; j < (i + 1) * perPixel; j++) {
                        assertEquals(base[row + j], out[row + j], 1e-12, "channel " + ch + " of pixel " + i
                                + " changed output " + j % perPixel + " of pixel " + j / perPixel + " (sample " + s + ")");
                    }
                    if (i % W < W - 1) {
                        assertTrue(changed(base, out, row + (i + 1) * perPixel, perPixel),
                                "channel " + ch + " of pixel " + i + " does not reach its right neighbour");
                    }
                    if (i + W < D) {
                        assertTrue(changed(base, out, row + (i + W) * perPixel, perPixel),
                                "channel " + ch + " of pixel " + i + " does not reach the pixel below");
                    }
                }
            }
        }
    }

    @Test
    void rgbOutputMatchesAPlainMaskedConvolutionStack() {
        VaeConfig c = rgbConfig();
        NamedArrays p = params(c);
        int perPixel = 10 * MIXTURES;
        SameDiff sd = decoderGraph(c, p, D * perPixel);
        int dim = D * 3;
        double[] x = levels(BATCH * dim, 15);
        double[] eps = uniform(SAMPLES * BATCH * LATENT, 16);
        double[] out = logits(sd, x, eps, dim);
        for (int s = 0; s < SAMPLES; s++) {
            for (int b = 0; b < BATCH; b++) {
                double[] z = java.util.Arrays.copyOfRange(eps, (s * BATCH + b) * LATENT, (s * BATCH + b + 1) * LATENT);
                double[] image = java.util.Arrays.copyOfRange(x, b * dim, (b + 1) * dim);
                double[] expected = reference(p, z, image, 3, perPixel);
                for (int j = 0; j < expected.length; j++) {
                    assertEquals(expected[j], out[(s * BATCH + b) * D * perPixel + j], 1e-6, "output " + j + " of row " + s + "," + b);
                }
            }
        }
    }

    private static final int MIXTURES = 2;

    private static VaeConfig rgbConfig() {
        return VaeConfig.from(Settings.defaults("model.encoder.hidden=[5]", "model.decoder.hidden=[5]",
                "model.latent-dim=" + LATENT, "model.activation=tanh", "model.pixelcnn.layers=2",
                "model.pixelcnn.channels=" + CHANNELS, "model.pixelcnn.kernel=3", "model.likelihood=logistic-mixture",
                "model.logistic.mixtures=" + MIXTURES, "data.binarization=none").config(), new ImageShape(H, W, 3));
    }

    private static boolean changed(double[] a, double[] b, int from, int n) {
        for (int j = from; j < from + n; j++) {
            if (Math.abs(a[j] - b[j]) > 1e-9) {
                return true;
            }
        }
        return false;
    }

    /** Random 8-bit levels v / 255. */
    private static double[] levels(int n, int seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextInt(256) / 255.0;
        }
        return v;
    }

    /** The decoder computed directly: MLP map m, two masked 3x3 convs (zero padding) with tanh, 1x1 out, plus m. */
    private static double[] reference(NamedArrays p, double[] z, double[] x) {
        return reference(p, z, x, 1, 1);
    }

    /** The same for C image channels and K outputs per pixel: the masks hide every channel of the centre in layer 0. */
    private static double[] reference(NamedArrays p, double[] z, double[] x, int imageChannels, int perPixel) {
        double[] map = dense(p, "dec_out", tanh(dense(p, "dec_0", z)));
        double[][] h = new double[D][imageChannels];
        for (int i = 0; i < D; i++) {
            for (int ch = 0; ch < imageChannels; ch++) {
                h[i][ch] = x[i * imageChannels + ch];
            }
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
                        double sum = bias[o];
                        for (int q = 0; q < perPixel; q++) {
                            sum += map[(r * W + col) * perPixel + q] * cond[q * CHANNELS + o];
                        }
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
        double[] out = new double[D * perPixel];
        for (int i = 0; i < D; i++) {
            double[] o = dense(p, PixelCnnDecoder.OUT, h[i]);
            for (int q = 0; q < perPixel; q++) {
                out[i * perPixel + q] = o[q] + map[i * perPixel + q];
            }
        }
        return out;
    }
}
