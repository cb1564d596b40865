package org.vaespark.jobs.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.model.NetworkSpec;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.cost.Flops;
import org.vaespark.core.model.likelihood.Likelihoods;
import org.vaespark.core.model.structure.ModelDescription;

/**
 * The arithmetic of {@code docs/scale.md}: IWAE-k (Burda et al. 2016) on ImageNet 64x64 (van den Oord et al. 2016;
 * Chrabaszcz et al. 2017) counted with {@link Flops}, and the bytes parameter averaging (McDonald et al. 2010) moves
 * per round. The conv model and its parameter count come from the model's own config and
 * {@link ModelDescription#layout}. The PixelCNN decoder (van den Oord et al. 2016) is also counted here by hand:
 * {@link #pixelCnnFlops} and {@link #pixelCnnParameters} take the channels, and their tests hold them to {@link Flops}
 * and the layout of the RGB model file {@code conf/models/pixelcnn-logistic-cifar10.conf} on 64x64x3, and at one channel.
 */
public final class ScaleEstimate {
    /** Per-task scalars each round's exchange carries beside the vector ({@code CollectiveSegment.SCALARS}): 6 doubles. */
    static final int EXCHANGE_SCALARS = 6;

    private ScaleEstimate() {
    }

    /** The conv model of the page: {@code conf/models/conv-logistic-cifar10.conf} on 64x64x3. */
    static final String CONV_MODEL = "conf/models/conv-logistic-cifar10.conf";
    /** Where the PixelCNN's layers, maps and kernel come from: {@code conf/models/pixelcnn-bernoulli.conf}. */
    static final String PIXELCNN_MODEL = "conf/models/pixelcnn-bernoulli.conf";

    /** A model file of {@code root}'s {@code conf/models} read as the jobs read it, on {@code image}. */
    public static VaeConfig modelFile(Path root, String file, ImageShape image) {
        return VaeConfig.from(Settings.load(List.of(root.resolve(file).toString()), List.of()).config(), image);
    }

    /** A model config for an image shape, from default settings and overrides (as the jobs read them). */
    public static VaeConfig model(ImageShape image, String... overrides) {
        return VaeConfig.from(Settings.defaults(overrides).config(), image);
    }

    /**
     * GEMM FLOPs of the PixelCNN of {@code layers} masked {@code kernel}² convolutions of {@code maps} maps over an
     * image of {@code channels} channels, one sample: each layer's convolution (the first reads the image's channels) and
     * its per-pixel projection of the decoder's {@code perPixel} outputs, and the 1x1 output layer; as {@link Flops}
     * counts them (the full kernel).
     */
    public static double pixelCnnFlops(int height, int width, int channels, int layers, int maps, int kernel, int perPixel) {
        double pixels = (double) height * width;
        double f = 0;
        for (int i = 0; i < layers; i++) {
            f += 2 * pixels * kernel * kernel * (i == 0 ? channels : maps) * maps + 2 * pixels * perPixel * maps;
        }
        return f + 2 * pixels * maps * perPixel;
    }

    /** Parameters of the same PixelCNN: per layer the kernel and bias, the projection [perPixel, maps]; the output layer. */
    public static long pixelCnnParameters(int channels, int layers, int maps, int kernel, int perPixel) {
        long n = 0;
        for (int i = 0; i < layers; i++) {
            n += (long) kernel * kernel * (i == 0 ? channels : maps) * maps + maps + (long) perPixel * maps;
        }
        return n + (long) maps * perPixel + perPixel;
    }

    /** The likelihood's outputs per pixel of {@code c}'s image. */
    public static int perPixel(VaeConfig c) {
        return Likelihoods.create(c).outputWidth() / (c.image().height() * c.image().width());
    }

    /** Parameters of {@code c} as the model declares them. */
    public static long parameters(VaeConfig c) {
        return ModelDescription.layout(c).count();
    }

    /** Forward GEMM FLOPs of IWAE-k on one image: the encoder once and the per-sample part k times. */
    public static double iwaeFlopsPerImage(VaeConfig c, int k, double extraPerSample) {
        return Flops.components(c, 1, 1).get("encoder") + (double) k * (Flops.iwaeFlopsPerSample(c) + extraPerSample);
    }

    /** Floats one replica's averaged state holds: parameters and Adam's two moments ({@code FlatState}). */
    public static long stateFloats(long parameters) {
        return 3 * parameters;
    }

    /**
     * Bytes all n tasks send in one round of the collective exchange ({@code MeanExchange}): the reduce-scatter sends
     * every peer its slice with the 6 scalars, the all-gather every peer this task's mean slice, so each slice crosses
     * n − 1 links twice.
     */
    public static long collectiveBytesPerRound(long floats, int n) {
        return 2L * 4 * floats * (n - 1) + 8L * EXCHANGE_SCALARS * n * (n - 1);
    }

    /**
     * Bytes task {@code rank} of n sends per round of the collective exchange, with {@code MeanExchange}'s slices
     * [q L / n, (q + 1) L / n): every peer's slice of its vector and the scalars, then its own mean slice to every peer.
     */
    public static long collectiveBytesSent(long floats, int n, int rank) {
        long own = slice(floats, n, rank);
        return 4 * (floats - own) + 8L * EXCHANGE_SCALARS * (n - 1) + 4L * (n - 1) * own;
    }

    /** The most any one task sends per round (the task with the widest slice). */
    public static long collectiveBytesPerTask(long floats, int n) {
        long most = 0;
        for (int r = 0; r < n; r++) {
            most = Math.max(most, collectiveBytesSent(floats, n, r));
        }
        return most;
    }

    /** {@code value} as a number > 0, or an error naming the argument. */
    static double positive(String value, String name) {
        double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw Errors.badArgument(name, "'" + value + "' is not a number", "give a number > 0");
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw Errors.badArgument(name, "'" + value + "' is not > 0", "give a number > 0");
        }
        return v;
    }

    private static long slice(long floats, int n, int q) {
        return (q + 1) * floats / n - q * floats / n;
    }

    /**
     * Prints the tables of {@code docs/scale.md}. Arguments: the per-core GFLOP/s measured, the GPU's achieved TFLOP/s,
     * the Parquet bytes per 32x32x3 image measured, the link's GB/s for the exchange time.
     */
    public static void main(String[] args) {
        String[] names = {"core GFLOP/s", "GPU TFLOP/s achieved", "Parquet bytes per 32x32x3 image", "link GB/s"};
        if (args.length != names.length) {
            throw Errors.badArgument("list", args.length + " arguments", "give " + String.join(", ", names) + " (run from the project root)");
        }
        double core = positive(args[0], names[0]) * 1e9;
        double gpu = positive(args[1], names[1]) * 1e12;
        double parquetPerImage = positive(args[2], names[2]) * (64 * 64 * 3) / (32 * 32 * 3);
        double link = positive(args[3], names[3]) * 1e9;
        Path root = Path.of("");
        ImageShape image = new ImageShape(64, 64, 3);
        VaeConfig conv = modelFile(root, CONV_MODEL, image);
        NetworkSpec pixel = modelFile(root, PIXELCNN_MODEL, new ImageShape(28, 28, 1)).network();
        int k = 5000;
        int layers = pixel.pixelCnnLayers();
        int maps = pixel.pixelCnnChannels();
        int kernel = pixel.pixelCnnKernel();
        double pcnn = pixelCnnFlops(64, 64, 3, layers, maps, kernel, perPixel(conv));
        long convParams = parameters(conv);
        long pcnnParams = convParams + pixelCnnParameters(3, layers, maps, kernel, perPixel(conv));
        System.out.printf(Locale.ROOT, "outputs per pixel %d; encoder %.4e FLOP; decoder per sample %.4e; PixelCNN per sample %.4e%n",
                perPixel(conv), Flops.components(conv, 1, 1).get("encoder"), Flops.iwaeFlopsPerSample(conv), pcnn);
        System.out.println("| decoder | parameters | IWAE-5000 FLOP per image | test set | images | total FLOP | core-hours | GPU-hours |");
        System.out.println("|---|---:|---:|---|---:|---:|---:|---:|");
        String[][] sets = {{"van den Oord et al. 2016 (valid_64x64)", "49999"}, {"Chrabaszcz et al. 2017 (val_data)", "50000"}};
        for (int m = 0; m < 2; m++) {
            double perImage = iwaeFlopsPerImage(conv, k, m == 0 ? 0 : pcnn);
            for (String[] s : sets) {
                double total = perImage * Long.parseLong(s[1]);
                System.out.printf(Locale.ROOT, "| %s | %,d | %.3e | %s | %,d | %.3e | %,.0f | %,.1f |%n", m == 0 ? "conv" : "conv + PixelCNN",
                        m == 0 ? convParams : pcnnParams, perImage, s[0], Long.parseLong(s[1]), total, total / core / 3600, total / gpu / 3600);
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "Parquet: %.0f bytes per 64x64x3 image (4 x the 32x32x3 figure)%n", parquetPerImage);
        String[][] files = {{"van den Oord et al. 2016", "1281149", "49999"}, {"Chrabaszcz et al. 2017", "1281167", "50000"}};
        System.out.println("| version | train images | test images | train Parquet | test Parquet |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (String[] v : files) {
            long train = Long.parseLong(v[1]);
            long test = Long.parseLong(v[2]);
            System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %.1f GB | %.2f GB |%n", v[0], train, test, train * parquetPerImage / 1e9,
                    test * parquetPerImage / 1e9);
        }
        System.out.println();
        int batch = 100;
        int steps = 10;
        for (int m = 0; m < 2; m++) {
            double perExample = Flops.trainingFlopsPerExample(conv, batch, 1) + (m == 0 ? 0 : 3 * pcnn);
            double round = perExample * batch * steps;
            double epoch = perExample * 1_281_149;
            double test = iwaeFlopsPerImage(conv, k, m == 0 ? 0 : pcnn) * 49_999;
            System.out.printf(Locale.ROOT, "%s: training %.3e FLOP per example, %.3e per epoch of 1,281,149 (IWAE-5000 of 49,999 = %.1f epochs); "
                            + "a round of %d steps of %d on one task %.3e FLOP = %.0f s on one core, %.2f s on the GPU%n",
                    m == 0 ? "conv" : "conv + PixelCNN", perExample, epoch, test / epoch, steps, batch, round, round / core, round / gpu);
        }
        VaeConfig reference = model(new ImageShape(28, 28, 1));
        long referenceState = stateFloats(parameters(reference));
        System.out.printf(Locale.ROOT, "reference MLP (the cluster check): %,d parameters, %,d bytes sent per task per round at n = 2%n",
                parameters(reference), collectiveBytesPerTask(referenceState, 2));
        System.out.println();
        System.out.println("| decoder | executors n | broadcast (parameters) | state averaged (3P floats) | sent per task per round | all tasks per round | seconds per round at the link rate |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (int m = 0; m < 2; m++) {
            long p = m == 0 ? convParams : pcnnParams;
            for (int n : new int[]{16, 64, 256}) {
                long task = collectiveBytesPerTask(stateFloats(p), n);
                System.out.printf(Locale.ROOT, "| %s | %d | %.1f MB | %.1f MB | %.1f MB | %.2f GB | %.2f |%n", m == 0 ? "conv" : "conv + PixelCNN", n,
                        4.0 * p / 1e6, 4.0 * stateFloats(p) / 1e6, task / 1e6, collectiveBytesPerRound(stateFloats(p), n) / 1e9, task / link);
            }
        }
    }
}
