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
                new Variant("cvae", List.of("model.kind=cvae", "data.binarization=dynamic"), Data.LABELLED_MNIST),
                new Variant("m2", List.of("model.kind=m2", "model.labels.classifier-hidden=[16]", "data.binarization=dynamic",
                        "train.labelled-per-class=15"), Data.LABELLED_MNIST)
        );
    }
}
