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
                new Variant("mog", List.of("model.prior.kind=mog", "model.prior.components=10"), Data.BINARY_MNIST),
                new Variant("vamp", List.of("model.prior.kind=vamp", "model.prior.components=10",
                        "model.prior.pseudo-inputs.init=data"), Data.BINARY_MNIST),
                new Variant("vamp-random", List.of("model.prior.kind=vamp", "model.prior.components=10",
                        "model.prior.pseudo-inputs.init=random"), Data.BINARY_MNIST)
        );
    }
}
