package org.vaespark.core.cpu;

import java.util.List;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.network.ConvDecoder;
import org.vaespark.core.model.network.ConvEncoder;
import org.vaespark.core.model.network.PixelCnnDecoder;

/**
 * The convolutional networks on the CPU executor, under the graph's parameter names: the strided
 * encoder and its mirror decoder ({@code ConvEncoder}, {@code ConvDecoder}: 4x4 kernels, stride 2,
 * padding 1) and the PixelCNN decoder conditioned on z (van den Oord et al. 2016; Gulrajani et al.
 * 2017: masked convolutions, mask A then B over pixels, all C image channels of a pixel behind the same
 * mask, each layer plus a per-pixel projection of the decoder map).
 */
final class ConvNets {
    private static final int KERNEL = 4;

    private ConvNets() {
    }

    /** The encoder's features [N, conv.dense]; rows of x are the image, then (CVAE) the condition. */
    static Tensor encode(Tape t, CpuParameters p, VaeConfig c, Tensor x) {
        ImageShape image = c.image();
        int dim = c.inputDim();
        Tensor h = x.cols == dim ? x : Elementwise.columns(t, x, 0, dim);
        int height = image.height();
        int width = image.width();
        int channels = image.channels();
        List<Integer> stages = c.network().convChannels();
        for (int i = 0; i < stages.size(); i++) {
            Conv.Shape s = new Conv.Shape(height, width, channels, KERNEL, 2, 1);
            h = t.activate(Conv.conv(t, h, s, t.param(p, VaeNames.weight(ConvEncoder.conv(i))),
                    t.param(p, VaeNames.bias(ConvEncoder.conv(i)))), c.activation());
            height = s.outHeight();
            width = s.outWidth();
            channels = stages.get(i);
        }
        if (x.cols != dim) {
            h = t.concat(h, Elementwise.columns(t, x, dim, x.cols - dim));
        }
        return t.activate(Layers.dense(t, p, h, ConvEncoder.DENSE), c.activation());
    }

    /** The decoder's output [N, outWidth] (pixel-major, channels last) for latent rows z. */
    static Tensor decode(Tape t, CpuParameters p, VaeConfig c, Tensor z, int outWidth) {
        ImageShape image = c.image();
        List<Integer> stages = c.network().convChannels();
        int n = stages.size();
        int factor = 1 << n;
        int height = image.height() / factor;
        int width = image.width() / factor;
        int perPixel = outWidth / (image.height() * image.width());
        Tensor h = t.activate(Layers.dense(t, p, z, ConvDecoder.DENSE), c.activation());
        for (int j = 0; j < n; j++) {
            int out = j == n - 1 ? perPixel : stages.get(n - 2 - j);
            Conv.Shape s = new Conv.Shape(2 * height, 2 * width, out, KERNEL, 2, 1);
            h = Conv.deconv(t, h, s, t.param(p, VaeNames.weight(ConvDecoder.deconv(j))), t.param(p, VaeNames.bias(ConvDecoder.deconv(j))));
            if (j < n - 1) {
                h = t.activate(h, c.activation());
            }
            height *= 2;
            width *= 2;
        }
        return h;
    }

    /** The PixelCNN on the observed x [B, D] (repeated for every sample row of the map), added to the map [N, H W K]. */
    static Tensor pixelCnn(Tape t, CpuParameters p, VaeConfig c, Tensor map, Tensor x, int outWidth) {
        ImageShape image = c.image();
        int pixels = image.height() * image.width();
        int perPixel = outWidth / pixels;
        int layers = c.network().pixelCnnLayers();
        int channels = c.network().pixelCnnChannels();
        int k = c.network().pixelCnnKernel();
        Tensor mapPixels = t.reshape(map, map.rows * pixels, perPixel);
        Tensor h = t.repeat(x, map.rows / x.rows);
        for (int i = 0; i < layers; i++) {
            int in = i == 0 ? image.channels() : channels;
            float[] mask = PixelCnnDecoder.mask(k, in, channels, i > 0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                    .dup('c').data().asFloat();
            Tensor w = Elementwise.masked(t, t.param(p, VaeNames.weight(PixelCnnDecoder.layer(i))), mask);
            Conv.Shape s = new Conv.Shape(image.height(), image.width(), in, k, 1, k / 2);
            Tensor conv = Conv.conv(t, h, s, w, t.param(p, VaeNames.bias(PixelCnnDecoder.layer(i))));
            Tensor cond = Elementwise.matmul(t, mapPixels, t.param(p, VaeNames.weight(PixelCnnDecoder.conditioning(i))));
            h = t.activate(t.add(conv, t.reshape(cond, conv.rows, conv.cols)), c.activation());
        }
        Tensor out = t.add(Layers.dense(t, p, t.reshape(h, map.rows * pixels, channels), PixelCnnDecoder.OUT), mapPixels);
        return t.reshape(out, map.rows, outWidth);
    }
}
