package org.vaespark.core.model.network;

import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.NetworkSpec;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.Init;

/**
 * Convolutional q(z|x): the rows [N, H W C] (channels-last) as NHWC images, stride-2 convolutions
 * {@code enc_conv_i} with {@code model.conv.channels}, the activation after each, flattened, a
 * dense layer {@code enc_dense} of width {@code model.conv.dense} (on [features, c] for a
 * conditional model), then the heads {@code enc_mu} and {@code enc_logvar} (the convolutional
 * VAEs of Tomczak &amp; Welling 2018 and Kingma et al. 2016, with strided instead of pooled stages).
 */
public final class ConvEncoder implements GaussianEncoder {
    public static final String DENSE = "enc_dense";

    private final NetworkSpec spec;
    private final ConvGeometry geometry;
    private final int conditionDim;
    private final int latentDim;

    public ConvEncoder(NetworkSpec spec, ImageShape image, int conditionDim, int latentDim) {
        this.spec = spec;
        this.geometry = new ConvGeometry(image, spec.convChannels());
        this.conditionDim = conditionDim;
        this.latentDim = latentDim;
    }

    public static String conv(int stage) {
        return "enc_conv_" + stage;
    }

    @Override
    public void declare(ParameterLayout p) {
        int in = geometry.channels;
        for (int i = 0; i < geometry.stages.size(); i++) {
            int out = geometry.stages.get(i);
            p.add(VaeNames.weight(conv(i)), new long[]{ConvGeometry.KERNEL, ConvGeometry.KERNEL, in, out}, Init.GLOROT);
            p.add(VaeNames.bias(conv(i)), new long[]{out}, Init.ZEROS);
            in = out;
        }
        p.dense(DENSE, geometry.smallSize() + conditionDim, spec.convDense());
        p.dense(VaeNames.ENC_MU, spec.convDense(), latentDim);
        p.dense(VaeNames.ENC_LOGVAR, spec.convDense(), latentDim);
    }

    @Override
    public Gaussian encode(Graph g, SDVariable x, SDVariable condition) {
        SDVariable h = g.sd().reshape(x, -1, geometry.height, geometry.width, geometry.channels);
        for (int i = 0; i < geometry.stages.size(); i++) {
            h = g.sd().cnn.conv2d(h, g.param(VaeNames.weight(conv(i))), g.param(VaeNames.bias(conv(i))), ConvGeometry.down());
            h = g.activate(h, spec.activation());
        }
        h = g.sd().reshape(h, -1, geometry.smallSize());
        if (condition != null) {
            h = g.sd().concat(1, h, condition);
        }
        h = g.activate(g.dense(h, DENSE), spec.activation());
        return new Gaussian(g.dense(h, VaeNames.ENC_MU), g.dense(h, VaeNames.ENC_LOGVAR), h);
    }

    @Override
    public int featureWidth() {
        return spec.convDense();
    }
}
