package org.vaespark.core.model.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
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
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.likelihood.Likelihoods;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.TestConfigs;

/**
 * The convolutional encoder and decoder: output shapes for MNIST and CIFAR images, channels-last
 * ordering of the decoder's outputs, and both networks against a plain-Java double forward pass
 * (4x4 kernels, stride 2, padding 1; transposed convolution as the adjoint of the convolution).
 */
class ConvNetworkTest {

    private static VaeConfig config(ImageShape shape, String... extra) {
        String[] base = {"model.architecture=conv", "model.conv.channels=[3, 4]", "model.conv.dense=6", "model.latent-dim=5"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return VaeConfig.from(TestConfigs.small(all).config(), shape);
    }

    /** The encoder's mean [N, d] and the decoder's output [N, W] for the given inputs, in double. */
    private static INDArray[] run(VaeConfig c, NamedArrays params, INDArray x, INDArray z) {
        SameDiff sd = SameDiff.create();
        for (String name : params.names()) {
            sd.var(name, params.toNd4j(name).castTo(DataType.DOUBLE));
        }
        Graph g = new Graph(sd, c, DataType.DOUBLE);
        int width = Likelihoods.create(c).outputWidth();
        SDVariable mean = Networks.encoder(c, 0, c.latentDim()).encode(g, g.x(), null).mean();
        SDVariable zs = sd.placeHolder("z", DataType.DOUBLE, -1, c.latentDim());
        SDVariable out = Networks.decoder(c, c.latentDim(), 0, width).decode(g, zs, null);
        Map<String, INDArray> r = sd.output(Map.of(VaeNames.X, x, "z", z), mean.name(), out.name());
        return new INDArray[]{r.get(mean.name()), r.get(out.name())};
    }

    private static NamedArrays params(VaeConfig c, long seed) {
        Random rng = new Random(seed);
        return ModelDescription.layout(c).initialise(seed).map((n, v) -> {
            float[] w = v.clone();
            for (int i = 0; i < w.length; i++) {
                w[i] += (float) (0.1 * rng.nextGaussian());
            }
            return w;
        });
    }

    @Test
    void outputShapesForMnistCifarAndImageNet64() {
        for (Object[] t : new Object[][]{{new ImageShape(28, 28, 1), "bernoulli", 784}, {new ImageShape(32, 32, 3), "logistic-mixture", 1024 * 20},
                {new ImageShape(64, 64, 3), "logistic", 4096 * 6}}) {
            VaeConfig c = config((ImageShape) t[0], "model.likelihood=" + t[1], "model.logistic.mixtures=2");
            INDArray[] r = run(c, params(c, 3), Nd4j.rand(DataType.DOUBLE, 7, c.inputDim()), Nd4j.randn(DataType.DOUBLE, 7, 5));
            assertArrayEquals(new long[]{7, 5}, r[0].shape());
            assertArrayEquals(new long[]{7, (int) t[2]}, r[1].shape());
        }
    }

    @Test
    void decoderOutputsArePixelMajorChannelsLast() {
        VaeConfig c = config(new ImageShape(32, 32, 3));
        String last = VaeNames.bias(ConvDecoder.deconv(1));
        NamedArrays p = params(c, 4).map((n, v) -> n.equals(VaeNames.weight(ConvDecoder.deconv(1))) ? new float[v.length]
                : n.equals(last) ? new float[]{10, 20, 30} : v);
        INDArray out = run(c, p, Nd4j.rand(DataType.DOUBLE, 2, c.inputDim()), Nd4j.randn(DataType.DOUBLE, 2, 5))[1];
        for (int r = 0; r < 32; r += 7) {
            for (int col = 0; col < 32; col += 5) {
                for (int ch = 0; ch < 3; ch++) {
                    assertEquals(10.0 * (ch + 1), out.getDouble(1, (r * 32 + col) * 3 + ch), 1e-12);
                }
            }
        }
    }

    @Test
    void networksMatchPlainJavaConvolutions() {
        ImageShape shape = new ImageShape(8, 4, 3);
        VaeConfig c = config(shape, "model.conv.channels=[2]", "model.conv.dense=5", "model.latent-dim=3");
        NamedArrays p = params(c, 8);
        Random rng = new Random(2);
        double[] x = new double[c.inputDim()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble();
        }
        double[] z = {0.3, -1.2, 0.8};
        INDArray[] r = run(c, p, Nd4j.create(x, new long[]{1, x.length}, 'c'), Nd4j.create(z, new long[]{1, 3}, 'c'));

        double[] h = relu(conv(x, 8, 4, 3, d(p, "enc_conv_0_W"), d(p, "enc_conv_0_b"), 2));
        double[] dense = relu(affine(h, d(p, "enc_dense_W"), d(p, "enc_dense_b")));
        double[] mu = affine(dense, d(p, VaeNames.ENC_MU_W), d(p, VaeNames.ENC_MU_B));
        for (int j = 0; j < 3; j++) {
            assertEquals(mu[j], r[0].getDouble(0, j), 1e-9, "encoder mean " + j);
        }
        double[] small = relu(affine(z, d(p, "dec_dense_W"), d(p, "dec_dense_b")));
        double[] out = deconv(small, 4, 2, 2, d(p, "dec_deconv_0_W"), d(p, "dec_deconv_0_b"), 3);
        assertEquals(out.length, r[1].length());
        for (int i = 0; i < out.length; i++) {
            assertEquals(out[i], r[1].getDouble(0, i), 1e-9, "decoder output " + i);
        }
    }

    @Test
    void rejectsImagesNotDivisibleByTheStages() {
        VaeException e = assertThrows(VaeException.class,
                () -> config(new ImageShape(28, 28, 1), "model.conv.channels=[4, 4, 4]"));
        assertTrue(e.getMessage().contains("model.architecture"), e.getMessage());
        assertThrows(VaeException.class, () -> config(ImageShape.flat(784)));
    }

    private static double[] d(NamedArrays p, String name) {
        float[] f = p.values(name);
        double[] v = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = f[i];
        }
        return v;
    }

    private static double[] relu(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.max(0, v[i]);
        }
        return r;
    }

    /** in [n] @ w [n, m] + b. */
    private static double[] affine(double[] in, double[] w, double[] b) {
        int m = b.length;
        double[] out = b.clone();
        for (int i = 0; i < in.length; i++) {
            for (int j = 0; j < m; j++) {
                out[j] += in[i] * w[i * m + j];
            }
        }
        return out;
    }

    /** Stride-2, padding-1 4x4 convolution of an HWC image, weights [4, 4, in, out]. */
    private static double[] conv(double[] in, int h, int w, int ci, double[] wt, double[] b, int co) {
        double[] out = new double[h / 2 * (w / 2) * co];
        for (int oy = 0; oy < h / 2; oy++) {
            for (int ox = 0; ox < w / 2; ox++) {
                for (int o = 0; o < co; o++) {
                    double s = b[o];
                    for (int ky = 0; ky < 4; ky++) {
                        for (int kx = 0; kx < 4; kx++) {
                            int iy = 2 * oy - 1 + ky;
                            int ix = 2 * ox - 1 + kx;
                            if (iy < 0 || ix < 0 || iy >= h || ix >= w) {
                                continue;
                            }
                            for (int i = 0; i < ci; i++) {
                                s += in[(iy * w + ix) * ci + i] * wt[((ky * 4 + kx) * ci + i) * co + o];
                            }
                        }
                    }
                    out[(oy * (w / 2) + ox) * co + o] = s;
                }
            }
        }
        return out;
    }

    /** The adjoint of {@link #conv}: an HWC map [h, w, ci] to [2h, 2w, co], weights [4, 4, out, in]. */
    private static double[] deconv(double[] in, int h, int w, int ci, double[] wt, double[] b, int co) {
        int oh = 2 * h;
        int ow = 2 * w;
        double[] out = new double[oh * ow * co];
        for (int i = 0; i < oh * ow; i++) {
            System.arraycopy(b, 0, out, i * co, co);
        }
        for (int iy = 0; iy < h; iy++) {
            for (int ix = 0; ix < w; ix++) {
                for (int ky = 0; ky < 4; ky++) {
                    for (int kx = 0; kx < 4; kx++) {
                        int oy = 2 * iy - 1 + ky;
                        int ox = 2 * ix - 1 + kx;
                        if (oy < 0 || ox < 0 || oy >= oh || ox >= ow) {
                            continue;
                        }
                        for (int i = 0; i < ci; i++) {
                            for (int o = 0; o < co; o++) {
                                out[(oy * ow + ox) * co + o] += in[(iy * w + ix) * ci + i] * wt[((ky * 4 + kx) * co + o) * ci + i];
                            }
                        }
                    }
                }
            }
        }
        return out;
    }
}
