package org.vaespark.core.model;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;
import org.vaespark.core.config.Keys;

/**
 * Encoder and decoder networks: {@code model.architecture}, {@code model.encoder.hidden},
 * {@code model.decoder.hidden}, {@code model.activation}, {@code model.conv.*} and
 * {@code model.pixelcnn.*}.
 *
 * @param architecture   MLP, gated or convolutional
 * @param encoderHidden  hidden widths of the encoder's dense layers (empty = linear)
 * @param decoderHidden  hidden widths of the decoder's dense layers (empty = linear)
 * @param activation     hidden nonlinearity (MLP and conv)
 * @param convChannels   channels of the strided conv stages (conv only), e.g. [32, 64]
 * @param convDense      width of the dense layer between the conv stack and the latent (conv only)
 * @param pixelCnnLayers masked-convolution layers of a PixelCNN decoder; 0 = no PixelCNN (van den Oord et al. 2016; Gulrajani et al. 2017)
 * @param pixelCnnChannels feature maps of each masked-convolution layer
 * @param pixelCnnKernel kernel size of the masked convolutions (odd)
 */
public record NetworkSpec(Architecture architecture, List<Integer> encoderHidden, List<Integer> decoderHidden,
                          Activation activation, List<Integer> convChannels, int convDense,
                          int pixelCnnLayers, int pixelCnnChannels, int pixelCnnKernel) implements Serializable {

    public NetworkSpec {
        encoderHidden = List.copyOf(encoderHidden);
        decoderHidden = List.copyOf(decoderHidden);
        convChannels = List.copyOf(convChannels);
        if (pixelCnnKernel % 2 == 0) {
            throw org.vaespark.core.errors.Errors.badConfigValue("model.pixelcnn.kernel", pixelCnnKernel, "an odd integer > 0, e.g. 5");
        }
    }

    /** An MLP with the given widths (tests and the reference model). */
    public static NetworkSpec mlp(List<Integer> encoderHidden, List<Integer> decoderHidden, Activation activation) {
        return new NetworkSpec(Architecture.MLP, encoderHidden, decoderHidden, activation, List.of(32, 64), 256, 0, 32, 5);
    }

    public static NetworkSpec from(Config c) {
        return new NetworkSpec(Keys.enumValue(c, "model.architecture", Architecture.class),
                Keys.positiveIntList(c, "model.encoder.hidden"), Keys.positiveIntList(c, "model.decoder.hidden"),
                Keys.enumValue(c, "model.activation", Activation.class), Keys.positiveIntList(c, "model.conv.channels"),
                Keys.positiveInt(c, "model.conv.dense"), Keys.nonNegativeInt(c, "model.pixelcnn.layers"),
                Keys.positiveInt(c, "model.pixelcnn.channels"), Keys.positiveInt(c, "model.pixelcnn.kernel"));
    }
}
