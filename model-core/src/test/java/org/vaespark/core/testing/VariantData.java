package org.vaespark.core.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.train.LabelledSubset;
import org.vaespark.core.samediff.Labels;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.core.train.VampPriorInit;

/** Real rows, image shapes, initial models and feeds for the variants of {@link Variants}. */
public final class VariantData {
    private VariantData() {
    }

    /** The first {@code n} training rows the variant uses. */
    public static Shard train(Variant v, int n) {
        return switch (v.data()) {
            case BINARY_MNIST -> MnistRows.binarized("train", n, 0);
            case GREY_MNIST -> ImageRows.greyMnist(n);
            case CIFAR10 -> ImageRows.cifar10(n);
            case LABELLED_MNIST -> LabelledSubset.apply(MnistRows.raw("train", n, 0), TrainConfig.from(v.settings().config()).labelledPerClass());
            case RANDOM_RGB -> randomLevels(n, shape(v).dimension(), 17);
        };
    }

    /** {@code n} rows of {@code dim} uniformly random levels 0..255, ids 0..n-1. */
    private static Shard randomLevels(int n, int dim, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        byte[] pixels = new byte[n * dim];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) rng.nextInt(256);
        }
        return new Shard(0, ids, pixels, dim);
    }

    public static ImageShape shape(Variant v) {
        return switch (v.data()) {
            case BINARY_MNIST, GREY_MNIST, LABELLED_MNIST -> new ImageShape(28, 28, 1);
            case CIFAR10 -> new ImageShape(32, 32, 3);
            case RANDOM_RGB -> new ImageShape(8, 8, 3);
        };
    }

    /** Overrides that shrink the variant further for the double-precision gradient check. */
    public static String[] tinyOverrides(Variant v) {
        int groups = v.settings().config().getInt("model.objective.free-bits-groups");
        int latent = 3 % groups == 0 ? 3 : 2 * groups;    // free-bits groups must divide the latent dimension
        java.util.List<String> o = new java.util.ArrayList<>(java.util.List.of("model.encoder.hidden=[5]",
                "model.decoder.hidden=[5]", "model.latent-dim=" + latent, "model.hierarchy.top-latent-dim=2",
                "model.hierarchy.hidden=[4]", "model.pixelcnn.channels=3", "model.conv.channels=[2, 3]", "model.conv.dense=4"));
        String dims = v.overrides().stream().filter(s -> s.startsWith("model.hierarchy.latent-dims=")).findFirst().orElse(null);
        if (dims != null) {
            // K layers as the variant has them, each small: [3, .., 3, 2] (the old top-latent-dim would contradict them).
            int layers = dims.split(",").length;
            o.remove("model.hierarchy.top-latent-dim=2");
            o.add("model.hierarchy.latent-dims=[" + "3, ".repeat(layers - 1) + "2]");
        }
        if (v.overrides().stream().anyMatch(s -> s.startsWith("model.pixelcnn.layers") || s.equals("model.architecture=conv"))) {
            // A masked or transposed convolution over MNIST's all-zero background outputs its zero initial bias
            // exactly: a ReLU kink that central differences straddle (they see half the slope). tanh is smooth there.
            o.add("model.activation=tanh");
        }
        return o.toArray(new String[0]);
    }

    /** The variant's initial model (the trainer's seed; data-initialised parameters where the variant has them). */
    public static Vae initialise(VaeConfig c, TrainConfig t, Shard data) {
        Vae model = Vae.initialise(c, t.seed());
        model.setParameters(VampPriorInit.initialiseFromData(c, model.parameters(), data, t.binarization(), t.seed()));
        return model;
    }

    /**
     * A feed of the first {@code batch} rows with {@code samples} noise samples, in {@code dtype},
     * encoded by the variant's data.binarization. Labelled data comes with its labels; for M2 the
     * second half of the batch is unlabelled.
     */
    public static Vae.Feed feed(Variant v, VaeConfig c, Shard data, int batch, int samples, DataType dtype) {
        int dim = c.inputDim();
        Binarization encoding = TrainConfig.from(v.settings().config()).binarization();
        float[] x = new float[batch * dim];
        long[] ids = new long[batch];
        for (int i = 0; i < batch; i++) {
            ids[i] = data.ids()[i];
            PixelEncoding.encode(data.pixels(), i, dim, ids[i], encoding, 1, 0, x, i);
        }
        float[] eps = new float[samples * batch * c.noiseDim()];
        NoiseSource.fill(eps, 3, 9, ids, 0, samples, c.noiseDim());
        INDArray xs = Nd4j.create(x, new long[]{batch, dim}, 'c').castTo(dtype);
        INDArray es = Nd4j.create(eps, new long[]{samples, batch, c.noiseDim()}, 'c').castTo(dtype);
        if (!Labels.needed(c)) {
            return new Vae.Feed(xs, es, c.beta(), null, null);
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = c.kind() == ModelKind.M2 && i >= batch / 2 ? Shard.NO_LABEL : data.labels()[i];
        }
        Vae.Feed f = Labels.feed(c, xs, es, c.beta(), ids, labels);
        return new Vae.Feed(xs, es, c.beta(), f.labels().castTo(dtype), f.labelled().castTo(dtype));
    }
}
