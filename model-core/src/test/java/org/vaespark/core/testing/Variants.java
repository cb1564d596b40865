package org.vaespark.core.testing;

import java.util.List;
import org.vaespark.core.testing.Variant.Data;

/** The variants of the model family the shared test battery runs over (one line each). */
public final class Variants {
    private Variants() {
    }

    public static List<Variant> all() {
        return List.of(
                new Variant("vae", List.of(), Data.BINARY_MNIST),
                new Variant("beta-vae", List.of("model.beta=0.5"), Data.BINARY_MNIST),
                new Variant("gated", List.of("model.architecture=gated"), Data.BINARY_MNIST),
                new Variant("logistic", List.of("model.likelihood=logistic", "data.binarization=none"), Data.GREY_MNIST),
                new Variant("logistic-mixture", List.of("model.likelihood=logistic-mixture", "model.logistic.mixtures=3",
                        "model.encoder.hidden=[16]", "model.decoder.hidden=[16]", "data.binarization=none", "train.batch-size=10"),
                        Data.CIFAR10),
                new Variant("conv-bernoulli", List.of("model.architecture=conv", "model.conv.channels=[8, 16]",
                        "model.conv.dense=32"), Data.BINARY_MNIST),
                new Variant("conv-logistic-cifar", List.of("model.architecture=conv", "model.conv.channels=[8, 16]",
                        "model.conv.dense=32", "model.likelihood=logistic-mixture", "model.logistic.mixtures=3",
                        "data.binarization=none", "train.batch-size=10"), Data.CIFAR10)
        );
    }
}
