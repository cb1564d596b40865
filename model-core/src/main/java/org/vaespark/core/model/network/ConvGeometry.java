package org.vaespark.core.model.network;

import java.util.List;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.enums.WeightsFormat;
import org.vaespark.core.model.ImageShape;

/**
 * The shapes of the convolutional encoder and decoder: 4x4 kernels, stride 2, padding 1, so every
 * stage halves (convolution) or doubles (transposed convolution) the height and width, as in the
 * DCGAN-style networks of convolutional VAEs. Activations are NHWC, the dataset's channels-last
 * layout. Convolution weights are [4, 4, in, out] (YXIO); transposed-convolution weights are
 * [4, 4, out, in] (SameDiff's deconv2d layout). Glorot-uniform's fans from ParameterLayout are
 * 16 in and 16 out in both cases; their sum, all the bound depends on, is the same either way.
 */
final class ConvGeometry {
    static final int KERNEL = 4;

    final int height;
    final int width;
    final int channels;
    final List<Integer> stages;
    /** Height and width of the smallest feature map. */
    final int smallHeight;
    final int smallWidth;

    ConvGeometry(ImageShape image, List<Integer> stages) {
        int factor = 1 << stages.size();   // the config checked that height and width divide by it
        this.height = image.height();
        this.width = image.width();
        this.channels = image.channels();
        this.stages = List.copyOf(stages);
        this.smallHeight = height / factor;
        this.smallWidth = width / factor;
    }

    int pixels() {
        return height * width;
    }

    /** Values in the smallest feature map (the flattened encoder features before its dense layer). */
    int smallSize() {
        return smallHeight * smallWidth * stages.get(stages.size() - 1);
    }

    static Conv2DConfig down() {
        return Conv2DConfig.builder().kH(KERNEL).kW(KERNEL).sH(2).sW(2).pH(1).pW(1).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NHWC).weightsFormat(WeightsFormat.YXIO).build();
    }

    static DeConv2DConfig up() {
        return DeConv2DConfig.builder().kH(KERNEL).kW(KERNEL).sH(2).sW(2).pH(1).pW(1).dH(1).dW(1)
                .isSameMode(false).dataFormat(DeConv2DConfig.NHWC).build();
    }
}
