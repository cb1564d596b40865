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
                new Variant("hvae", List.of("model.kind=hvae", "model.hierarchy.top-latent-dim=3", "model.hierarchy.hidden=[16]"), Data.BINARY_MNIST),
                new Variant("pixelcnn", List.of("model.pixelcnn.layers=2", "model.pixelcnn.channels=8", "model.pixelcnn.kernel=3"), Data.BINARY_MNIST)
        );
    }
}
