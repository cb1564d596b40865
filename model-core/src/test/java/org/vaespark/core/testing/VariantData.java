package org.vaespark.core.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;

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
        };
    }

    public static ImageShape shape(Variant v) {
        return switch (v.data()) {
            case BINARY_MNIST, GREY_MNIST -> new ImageShape(28, 28, 1);
            case CIFAR10 -> new ImageShape(32, 32, 3);
        };
    }

    /** Overrides that shrink the variant further for the double-precision gradient check. */
    public static String[] tinyOverrides(Variant v) {
        String[] tiny = {"model.encoder.hidden=[5]", "model.decoder.hidden=[5]", "model.latent-dim=3",
                "model.conv.channels=[2, 3]", "model.conv.dense=4"};
        if (!v.overrides().contains("model.architecture=conv")) {
            return tiny;
        }
        // A transposed convolution whose inputs around a pixel are all ReLU zeros outputs its zero initial
        // bias exactly: a ReLU kink, where finite differences see half the slope. tanh is smooth.
        String[] smooth = java.util.Arrays.copyOf(tiny, tiny.length + 1);
        smooth[tiny.length] = "model.activation=tanh";
        return smooth;
    }

    /** The variant's initial model (the trainer's seed; data-initialised parameters where the variant has them). */
    public static Vae initialise(VaeConfig c, TrainConfig t, Shard data) {
        return Vae.initialise(c, t.seed());
    }

    /** A feed of the first {@code batch} rows with {@code samples} noise samples, in {@code dtype}. */
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
        return new Vae.Feed(xs, es, c.beta(), null, null);
    }
}
