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
                        "model.prior.pseudo-inputs.init=random"), Data.BINARY_MNIST),
                new Variant("iwae-5", List.of("model.objective.kind=iwae", "train.samples=5"), Data.BINARY_MNIST),
                new Variant("free-bits", List.of("model.objective.free-bits=0.5", "model.objective.free-bits-groups=2", "model.latent-dim=4"), Data.BINARY_MNIST),
                new Variant("warm-up", List.of("model.objective.warmup-epochs=1"), Data.BINARY_MNIST),
                new Variant("info-vae", List.of("model.objective.kind=mmd", "model.objective.mmd.alpha=0", "model.objective.mmd.lambda=10"), Data.BINARY_MNIST),
                new Variant("planar", List.of("model.posterior.kind=planar", "model.posterior.length=2"), Data.BINARY_MNIST),
                new Variant("iaf", List.of("model.posterior.kind=iaf", "model.posterior.length=2", "model.posterior.iaf.hidden=[16]",
                        "model.posterior.iaf.context=8"), Data.BINARY_MNIST),
                new Variant("flow-prior", List.of("model.prior.kind=flow", "model.prior.flow.steps=2", "model.prior.flow.hidden=[16]"),
                        Data.BINARY_MNIST),
                new Variant("hvae", List.of("model.kind=hvae", "model.hierarchy.top-latent-dim=3", "model.hierarchy.hidden=[16]"), Data.BINARY_MNIST),
                new Variant("hvae-k3", List.of("model.kind=hvae", "model.hierarchy.latent-dims=[5, 4, 3]", "model.hierarchy.hidden=[16]"),
                        Data.BINARY_MNIST),
                new Variant("hvae-burda", List.of("model.kind=hvae", "model.hierarchy.latent-dims=[5, 3]", "model.hierarchy.hidden=[16]",
                        "model.hierarchy.inference=bottom-up", "model.hierarchy.markovian=true", "model.activation=tanh"),
                        Data.BINARY_MNIST),
                new Variant("hvae-k3-bidirectional", List.of("model.kind=hvae", "model.hierarchy.latent-dims=[5, 4, 3]",
                        "model.hierarchy.hidden=[16]", "model.hierarchy.inference=bidirectional"), Data.BINARY_MNIST),
                new Variant("pixelcnn", List.of("model.pixelcnn.layers=2", "model.pixelcnn.channels=8", "model.pixelcnn.kernel=3"), Data.BINARY_MNIST),
                new Variant("logistic", List.of("model.likelihood=logistic", "data.binarization=none"), Data.GREY_MNIST),
                new Variant("logistic-mixture", List.of("model.likelihood=logistic-mixture", "model.logistic.mixtures=3",
                        "model.encoder.hidden=[16]", "model.decoder.hidden=[16]", "data.binarization=none", "train.batch-size=10"),
                        Data.CIFAR10),
                new Variant("conv-bernoulli", List.of("model.architecture=conv", "model.conv.channels=[8, 16]",
                        "model.conv.dense=32"), Data.BINARY_MNIST),
                new Variant("conv-logistic-cifar", List.of("model.architecture=conv", "model.conv.channels=[8, 16]",
                        "model.conv.dense=32", "model.likelihood=logistic-mixture", "model.logistic.mixtures=3",
                        "data.binarization=none", "train.batch-size=10"), Data.CIFAR10),
                new Variant("pixelcnn-rgb", List.of("model.pixelcnn.layers=2", "model.pixelcnn.channels=4", "model.pixelcnn.kernel=3",
                        "model.likelihood=logistic-mixture", "model.logistic.mixtures=2", "model.encoder.hidden=[16]",
                        "model.decoder.hidden=[16]", "data.binarization=none", "train.batch-size=10"), Data.CIFAR10),
                new Variant("cvae", List.of("model.kind=cvae", "data.binarization=dynamic"), Data.LABELLED_MNIST),
                new Variant("m2", List.of("model.kind=m2", "model.labels.classifier-hidden=[16]", "data.binarization=dynamic",
                        "train.labelled-per-class=15"), Data.LABELLED_MNIST)
        );
    }

    /** Further variants of the MLP family that the CPU executor's equivalence tests cover beside {@link #all}. */
    public static List<Variant> cpuExtras() {
        return List.of(
                new Variant("cpu-tanh", List.of("model.activation=tanh"), Data.BINARY_MNIST),
                new Variant("cpu-softplus", List.of("model.activation=softplus"), Data.BINARY_MNIST),
                new Variant("cpu-gaussian-learned", List.of("model.likelihood=gaussian", "data.binarization=none"), Data.GREY_MNIST),
                new Variant("cpu-gaussian-fixed", List.of("model.likelihood=gaussian", "model.gaussian.variance=fixed",
                        "model.gaussian.fixed-variance=0.05", "data.binarization=none"), Data.GREY_MNIST),
                new Variant("cpu-free-bits-mc", List.of("model.prior.kind=mog", "model.prior.components=5",
                        "model.objective.free-bits=0.5"), Data.BINARY_MNIST),
                new Variant("cpu-hvae-mog", List.of("model.kind=hvae", "model.hierarchy.top-latent-dim=3", "model.hierarchy.hidden=[16]",
                        "model.prior.kind=mog", "model.prior.components=6"), Data.BINARY_MNIST),
                new Variant("cpu-hvae-vamp-gated", List.of("model.kind=hvae", "model.architecture=gated", "model.hierarchy.top-latent-dim=3",
                        "model.hierarchy.hidden=[16]", "model.prior.kind=vamp", "model.prior.components=6"), Data.BINARY_MNIST),
                new Variant("cpu-hvae-iwae", List.of("model.kind=hvae", "model.hierarchy.top-latent-dim=3", "model.hierarchy.hidden=[16]",
                        "model.objective.kind=iwae", "train.samples=3"), Data.BINARY_MNIST),
                new Variant("cpu-conv-hvae-vamp", List.of("model.kind=hvae", "model.architecture=conv", "model.conv.channels=[4, 8]",
                        "model.conv.dense=16", "model.hierarchy.top-latent-dim=3", "model.hierarchy.hidden=[16]",
                        "model.prior.kind=vamp", "model.prior.components=5"), Data.BINARY_MNIST),
                new Variant("cpu-pixel-hvae-vamp", List.of("model.kind=hvae", "model.pixelcnn.layers=2", "model.pixelcnn.channels=4",
                        "model.pixelcnn.kernel=3", "model.hierarchy.top-latent-dim=3", "model.hierarchy.hidden=[16]",
                        "model.prior.kind=vamp", "model.prior.components=5"), Data.BINARY_MNIST),
                new Variant("cpu-pixelcnn-rgb-random", List.of("model.pixelcnn.layers=3", "model.pixelcnn.channels=5",
                        "model.pixelcnn.kernel=3", "model.likelihood=logistic-mixture", "model.logistic.mixtures=3",
                        "model.encoder.hidden=[16]", "model.decoder.hidden=[16]", "data.binarization=none"), Data.RANDOM_RGB),
                new Variant("cpu-pixelcnn-rgb-iwae", List.of("model.pixelcnn.layers=2", "model.pixelcnn.channels=4",
                        "model.pixelcnn.kernel=5", "model.likelihood=logistic-mixture", "model.logistic.mixtures=2",
                        "model.encoder.hidden=[16]", "model.decoder.hidden=[16]", "data.binarization=none",
                        "model.objective.kind=iwae", "train.samples=3"), Data.CIFAR10),
                new Variant("cpu-pixel-hvae-rgb", List.of("model.kind=hvae", "model.pixelcnn.layers=2", "model.pixelcnn.channels=4",
                        "model.pixelcnn.kernel=3", "model.likelihood=logistic-mixture", "model.logistic.mixtures=2",
                        "model.encoder.hidden=[16]", "model.decoder.hidden=[16]", "model.hierarchy.top-latent-dim=3",
                        "model.hierarchy.hidden=[16]", "data.binarization=none"), Data.CIFAR10),
                new Variant("cpu-hvae-k3-bottom-up-mog", List.of("model.kind=hvae", "model.hierarchy.latent-dims=[5, 4, 3]",
                        "model.hierarchy.hidden=[16]", "model.hierarchy.inference=bottom-up", "model.prior.kind=mog",
                        "model.prior.components=4"), Data.BINARY_MNIST),
                new Variant("cpu-hvae-k3-markov-gated-vamp", List.of("model.kind=hvae", "model.architecture=gated",
                        "model.hierarchy.latent-dims=[5, 4, 3]", "model.hierarchy.hidden=[16]", "model.hierarchy.markovian=true",
                        "model.prior.kind=vamp", "model.prior.components=5"), Data.BINARY_MNIST),
                new Variant("cpu-hvae-k3-bidirectional-markov-iwae", List.of("model.kind=hvae", "model.hierarchy.latent-dims=[5, 4, 3]",
                        "model.hierarchy.hidden=[16, 8]", "model.hierarchy.inference=bidirectional", "model.hierarchy.markovian=true",
                        "model.objective.kind=iwae", "train.samples=3"), Data.BINARY_MNIST),
                new Variant("cpu-vamp-gated-iwae", List.of("model.architecture=gated", "model.prior.kind=vamp",
                        "model.prior.components=6", "model.objective.kind=iwae", "train.samples=4"), Data.BINARY_MNIST)
        );
    }
}
