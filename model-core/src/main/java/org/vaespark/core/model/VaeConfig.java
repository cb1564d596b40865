package org.vaespark.core.model;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;

/**
 * The architecture of a VAE with MLP encoder and decoder, diagonal-Gaussian q(z|x) and an
 * N(0, I) prior (Kingma &amp; Welling 2014). Read from the {@code model.*} keys; the input
 * dimension comes from the dataset.
 *
 * @param inputDim      D, pixels x channels of one example
 * @param encoderHidden hidden widths of the encoder (empty = linear)
 * @param decoderHidden hidden widths of the decoder (empty = linear)
 * @param latentDim     d
 * @param activation    hidden nonlinearity
 * @param likelihood    observation model
 * @param variance      learned or fixed (Gaussian likelihood only)
 * @param fixedVariance the variance when fixed
 * @param beta          weight of the KL term
 */
public record VaeConfig(int inputDim, List<Integer> encoderHidden, List<Integer> decoderHidden, int latentDim,
                        Activation activation, Likelihood likelihood, GaussianVariance variance,
                        double fixedVariance, double beta) implements Serializable {

    public VaeConfig {
        if (inputDim <= 0) {
            throw Errors.badConfigValue("input dimension (from the dataset)", inputDim, "a dataset with at least one pixel");
        }
        if (latentDim <= 0) {
            throw Errors.badConfigValue("model.latent-dim", latentDim, "an integer > 0");
        }
        if (!(fixedVariance > 0) || Double.isInfinite(fixedVariance)) {
            throw Errors.badConfigValue("model.gaussian.fixed-variance", fixedVariance, "a finite number > 0");
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw Errors.badConfigValue("model.beta", beta, "a finite number >= 0");
        }
        encoderHidden = List.copyOf(encoderHidden);
        decoderHidden = List.copyOf(decoderHidden);
    }

    /** Reads {@code model.*}; {@code inputDim} comes from the dataset's manifest. */
    public static VaeConfig from(Config c, int inputDim) {
        return new VaeConfig(inputDim,
                Keys.positiveIntList(c, "model.encoder.hidden"),
                Keys.positiveIntList(c, "model.decoder.hidden"),
                Keys.positiveInt(c, "model.latent-dim"),
                Keys.enumValue(c, "model.activation", Activation.class),
                Keys.enumValue(c, "model.likelihood", Likelihood.class),
                Keys.enumValue(c, "model.gaussian.variance", GaussianVariance.class),
                Keys.positiveDouble(c, "model.gaussian.fixed-variance"),
                Keys.nonNegativeDouble(c, "model.beta"));
    }

    /** Decoder GEMM FLOPs for one sample of z (2 x multiply-adds), used by benchmarks and cost estimates. */
    public long decoderFlopsPerSample() {
        long flops = 0;
        int in = latentDim;
        for (int h : decoderHidden) {
            flops += 2L * in * h;
            in = h;
        }
        return flops + 2L * in * inputDim;
    }

    /** Encoder GEMM FLOPs for one example. */
    public long encoderFlopsPerExample() {
        long flops = 0;
        int in = inputDim;
        for (int h : encoderHidden) {
            flops += 2L * in * h;
            in = h;
        }
        return flops + 2L * 2L * in * latentDim;
    }
}
