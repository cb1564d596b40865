package org.vaespark.core.model.network;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.NetworkSpec;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.Init;

/**
 * A PixelCNN decoder conditioned on z (van den Oord et al. 2016, "Pixel Recurrent Neural
 * Networks", Sec. 3.4; PixelVAE, Gulrajani et al. 2017): p(x|z) = prod_i p(x_i | x_&lt;i, z) in
 * raster order, trained with teacher forcing on the observed x.
 *
 * <p>The configured decoder maps z to a per-pixel map m [H, W, K] (K = the likelihood's outputs
 * per pixel; the flat output is pixel-major, channels last). The PixelCNN then runs L masked
 * convolutions ({@code model.pixelcnn.layers}, {@code .channels} maps, {@code .kernel} size, SAME
 * padding) over x: layer 0 with mask A (the centre pixel excluded), later layers with mask B
 * (centre included), each pre-activation plus a per-pixel projection of m ({@code pcnn_i_cond}),
 * and a final 1x1 layer {@code pcnn_out} whose output is added to m. So every output of pixel i
 * depends on z and on x_j for j &lt; i only.
 *
 * <p>Colour images (C &gt; 1, e.g. CIFAR-10 and ImageNet 64x64 with C = 3) are masked over pixels, as
 * PixelCNN++ does (Salimans et al. 2017, Sec. 2.1): layer 0 reads all C channels of the pixels before
 * the centre and none of the centre's; mask B then applies across all feature maps. Every output of
 * pixel i, the parameters of all its channels, is thus a function of z and x_&lt;i. The order of the
 * channels within a pixel is left to the likelihood: the discretized logistic mixture
 * ({@code LogisticMixtureLikelihood}) makes G's location depend linearly on the observed R of the same
 * pixel and B's on R and G, so p(x_i | x_&lt;i, z) = sum_k pi_k p_k(R_i) p_k(G_i | R_i) p_k(B_i | R_i, G_i);
 * the other likelihoods take the channels of a pixel as independent given x_&lt;i and z.
 *
 * <p>Rows of z are (r, b) with the example b fastest, as every structure lays out samples
 * (row s * B + b); the observed x [B, D] is repeated to match.
 */
public final class PixelCnnDecoder implements Decoder {
    private final Decoder base;
    private final int height;
    private final int width;
    private final int imageChannels;
    private final int perPixel;
    private final int layers;
    private final int channels;
    private final int kernel;
    private final Activation activation;

    /**
     * @param base     the configured decoder, producing {@code outWidth} = H * W * K values per row
     * @param outWidth the likelihood's outputs per example
     */
    public PixelCnnDecoder(NetworkSpec spec, ImageShape image, Decoder base, int outWidth) {
        int pixels = image.height() * image.width();
        if (outWidth % pixels != 0) {
            throw Errors.badConfigValue("model.pixelcnn.layers", spec.pixelCnnLayers(),
                    "0 with a likelihood whose " + outWidth + " outputs are not a whole number per pixel of " + pixels);
        }
        this.base = base;
        this.height = image.height();
        this.width = image.width();
        this.imageChannels = image.channels();
        this.perPixel = outWidth / pixels;
        this.layers = spec.pixelCnnLayers();
        this.channels = spec.pixelCnnChannels();
        this.kernel = spec.pixelCnnKernel();
        this.activation = spec.activation();
    }

    /** Name prefix of masked-convolution layer {@code i}: weights [k, k, in, out] (YXIO; in = C for layer 0), bias [out]. */
    public static String layer(int i) {
        return "pcnn_" + i;
    }

    /** Name prefix of the per-pixel projection of the decoder map into layer {@code i}: weights [K, channels]. */
    public static String conditioning(int i) {
        return "pcnn_" + i + "_cond";
    }

    /** Name prefix of the final 1x1 layer: [channels, K] and [K]. */
    public static final String OUT = "pcnn_out";

    @Override
    public void declare(ParameterLayout p) {
        base.declare(p);
        for (int i = 0; i < layers; i++) {
            int in = i == 0 ? imageChannels : channels;
            p.add(VaeNames.weight(layer(i)), new long[]{kernel, kernel, in, channels}, Init.GLOROT);
            p.add(VaeNames.bias(layer(i)), new long[]{channels}, Init.ZEROS);
            p.add(VaeNames.weight(conditioning(i)), new long[]{perPixel, channels}, Init.GLOROT);
        }
        p.dense(OUT, channels, perPixel);
    }

    @Override
    public SDVariable decode(Graph g, SDVariable z, SDVariable condition) {
        SameDiff sd = g.sd();
        SDVariable map = base.decode(g, z, condition);                           // [N, H*W*K]
        SDVariable mapPixels = sd.reshape(map, -1, perPixel);                     // [N*H*W, K]
        SDVariable h = sd.reshape(observedRows(g, map), -1, height, width, imageChannels);   // NHWC
        for (int i = 0; i < layers; i++) {
            int in = i == 0 ? imageChannels : channels;
            SDVariable w = g.param(VaeNames.weight(layer(i))).mul(g.constant(mask(kernel, in, channels, i > 0)));
            SDVariable conv = sd.cnn.conv2d(h, w, g.param(VaeNames.bias(layer(i))), Conv2DConfig.builder()
                    .kH(kernel).kW(kernel).sH(1).sW(1).dH(1).dW(1).paddingMode(PaddingMode.SAME)
                    .dataFormat(Conv2DConfig.NHWC).build());
            SDVariable cond = sd.reshape(mapPixels.mmul(g.param(VaeNames.weight(conditioning(i)))), -1, height, width, channels);
            h = g.activate(conv.add(cond), activation);
        }
        SDVariable out = g.dense(sd.reshape(h, -1, channels), OUT).add(mapPixels);  // [N*H*W, K]
        return sd.reshape(out, -1, height * width * perPixel);
    }

    /** The observed x [B, D] repeated to the rows of the decoder map [R * B, .]: [R * B, D]. */
    private SDVariable observedRows(Graph g, SDVariable map) {
        SameDiff sd = g.sd();
        SDVariable x = g.x();
        SDVariable batch = sd.slice(sd.shape(x), new int[]{0}, 1);
        SDVariable perExample = sd.concat(0, sd.constant(Nd4j.createFromArray(-1L).castTo(batch.dataType())), batch,
                sd.constant(Nd4j.createFromArray((long) height * width * perPixel).castTo(batch.dataType())));
        SDVariable zeros = sd.zerosLike(sd.reshape(map, perExample));           // [R, B, H*W*K]
        SDVariable first = sd.slice(zeros, new int[]{0, 0, 0}, -1, -1, 1);      // [R, B, 1]
        return sd.reshape(first.add(x), -1, (long) height * width * imageChannels);
    }

    /**
     * The autoregressive mask [k, k, in, out] (YXIO): 1 above the centre row, left of the centre
     * in the centre row, and at the centre itself only for mask B ({@code includeCentre}); the same
     * for every input and output channel (masks over pixels, not over colour channels).
     */
    public static INDArray mask(int k, int in, int out, boolean includeCentre) {
        INDArray m = Nd4j.zeros(DataType.DOUBLE, k, k, in, out);
        int c = k / 2;
        for (int y = 0; y < k; y++) {
            for (int x = 0; x < k; x++) {
                boolean visible = y < c || (y == c && (x < c || (x == c && includeCentre)));
                if (visible) {
                    for (int i = 0; i < in; i++) {
                        for (int o = 0; o < out; o++) {
                            m.putScalar(new long[]{y, x, i, o}, 1.0);
                        }
                    }
                }
            }
        }
        return m;
    }
}
