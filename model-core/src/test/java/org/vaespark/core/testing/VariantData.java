package org.vaespark.core.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.model.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.train.LabelledSubset;
import org.vaespark.core.train.Labels;
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
            case LABELLED_MNIST -> LabelledSubset.apply(MnistRows.raw("train", n, 0), TrainConfig.from(v.settings().config()).labelledPerClass());
        };
    }

    public static ImageShape shape(Variant v) {
        return switch (v.data()) {
            case BINARY_MNIST, LABELLED_MNIST -> new ImageShape(28, 28, 1);
        };
    }

    /** Overrides that shrink the variant further for the double-precision gradient check. */
    public static String[] tinyOverrides(Variant v) {
        return new String[]{"model.encoder.hidden=[5]", "model.decoder.hidden=[5]", "model.latent-dim=3"};
    }

    /** The variant's initial model (the trainer's seed; data-initialised parameters where the variant has them). */
    public static Vae initialise(VaeConfig c, TrainConfig t, Shard data) {
        return Vae.initialise(c, t.seed());
    }

    /**
     * A feed of the first {@code batch} rows with {@code samples} noise samples, in {@code dtype},
     * encoded by the variant's data.binarization. Labelled data comes with its labels; for M2 the
     * second half of the batch is unlabelled.
     */
    public static Vae.Feed feed(Variant v, VaeConfig c, Shard data, int batch, int samples, DataType dtype) {
        int dim = c.inputDim();
        float[] x = new float[batch * dim];
        long[] ids = new long[batch];
        for (int i = 0; i < batch; i++) {
            ids[i] = data.ids()[i];
            PixelEncoding.encode(data.pixels(), i, dim, ids[i], TrainConfig.from(v.settings().config()).binarization(), 1, 0, x, i);
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
