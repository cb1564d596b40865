package org.vaespark.core.model.network;

import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.NetworkSpec;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.Init;

/**
 * Convolutional p(x|z), the mirror of {@link ConvEncoder}: a dense layer {@code dec_dense} from z
 * (or [z, c]) to the smallest feature map, the activation, then stride-2 transposed convolutions
 * {@code dec_deconv_j} back through {@code model.conv.channels} in reverse; the last one emits the
 * likelihood's P = outWidth / (H W) parameters per pixel with no activation. The NHWC result
 * flattens to [N, H W P] pixel-major: pixel (r, c), parameter j is column (r W + c) P + j, the
 * layout every image likelihood reads (channels-last, as the dataset).
 */
public final class ConvDecoder implements Decoder {
    public static final String DENSE = "dec_dense";

    private final NetworkSpec spec;
    private final ConvGeometry geometry;
    private final int inWidth;
    private final int perPixel;

    public ConvDecoder(NetworkSpec spec, ImageShape image, int inWidth, int outWidth) {
        this.spec = spec;
        this.geometry = new ConvGeometry(image, spec.convChannels());
        if (outWidth % geometry.pixels() != 0) {
            throw new IllegalStateException("likelihood width " + outWidth + " is not a multiple of the " + geometry.pixels() + " pixels");
        }
        this.inWidth = inWidth;
        this.perPixel = outWidth / geometry.pixels();
    }

    public static String deconv(int j) {
        return "dec_deconv_" + j;
    }

    @Override
    public void declare(ParameterLayout p) {
        int stages = geometry.stages.size();
        p.dense(DENSE, inWidth, geometry.smallSize());
        for (int j = 0; j < stages; j++) {
            int in = geometry.stages.get(stages - 1 - j);
            int out = j == stages - 1 ? perPixel : geometry.stages.get(stages - 2 - j);
            p.add(VaeNames.weight(deconv(j)), new long[]{ConvGeometry.KERNEL, ConvGeometry.KERNEL, out, in}, Init.GLOROT);
            p.add(VaeNames.bias(deconv(j)), new long[]{out}, Init.ZEROS);
        }
    }

    @Override
    public SDVariable decode(Graph g, SDVariable z, SDVariable condition) {
        int stages = geometry.stages.size();
        SDVariable in = condition == null ? z : g.sd().concat(1, z, condition);
        SDVariable h = g.activate(g.dense(in, DENSE), spec.activation());
        h = g.sd().reshape(h, -1, geometry.smallHeight, geometry.smallWidth, geometry.stages.get(stages - 1));
        for (int j = 0; j < stages; j++) {
            h = g.sd().cnn.deconv2d(h, g.param(VaeNames.weight(deconv(j))), g.param(VaeNames.bias(deconv(j))), ConvGeometry.up());
            if (j < stages - 1) {
                h = g.activate(h, spec.activation());
            }
        }
        return g.sd().reshape(h, -1, geometry.pixels() * perPixel);
    }
}
