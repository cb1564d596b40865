package org.vaespark.core.model.network;

import org.vaespark.core.model.VaeConfig;

/** Builds the encoder and decoder a configuration names. */
public final class Networks {
    private Networks() {
    }

    /** q(z|x) (or q(z|x, c) with {@code conditionDim} > 0) over the model's inputs. */
    public static GaussianEncoder encoder(VaeConfig c, int conditionDim, int latentDim) {
        return switch (c.network().architecture()) {
            case MLP, GATED -> new MlpEncoder(c.network(), c.inputDim(), conditionDim, latentDim);
            case CONV -> new ConvEncoder(c.network(), c.image(), conditionDim, latentDim);
        };
    }

    /**
     * p(x|z) parameters from latent rows of width {@code inWidth} (plus a condition of {@code conditionDim});
     * with {@code model.pixelcnn.layers} &gt; 0 the configured decoder feeds a {@link PixelCnnDecoder}.
     */
    public static Decoder decoder(VaeConfig c, int inWidth, int conditionDim, int outWidth) {
        Decoder base = baseDecoder(c, inWidth, conditionDim, outWidth);
        return c.network().pixelCnnLayers() > 0 ? new PixelCnnDecoder(c.network(), c.image(), base, outWidth) : base;
    }

    private static Decoder baseDecoder(VaeConfig c, int inWidth, int conditionDim, int outWidth) {
        return switch (c.network().architecture()) {
            case MLP, GATED -> new MlpDecoder(c.network(), inWidth, conditionDim, outWidth);
            case CONV -> new ConvDecoder(c.network(), c.image(), inWidth + conditionDim, outWidth);
        };
    }
}
