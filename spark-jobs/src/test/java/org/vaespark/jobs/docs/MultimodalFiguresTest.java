package org.vaespark.jobs.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vaespark.core.config.Settings;
import org.vaespark.core.eval.MultimodalEvaluation;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.structure.MultimodalVae;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.SharedData;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Replica;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.figures.ImageGrid;

/**
 * The measured figures and pictures of docs/models.md (Multimodal VAE): each example experiment file
 * ({@code conf/experiments/mnist-dynamic-mvae-*.conf}) with smaller networks, trained briefly in one process on the first
 * 10,000 real MNIST training images (dynamically binarized, a fifth unpaired) and evaluated on the first 500 test
 * images, against the same model untrained. With {@code -Dvaespark.docs.write=true} the pictures are written into docs/
 * and the figures printed.
 */
class MultimodalFiguresTest {
    private static final Path ROOT = SharedData.projectRoot();
    static final int STEPS = 300;
    static final int TRAIN = 10_000;
    static final int TEST = 500;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"label", "halves"})
    void aShortRunOfTheExampleFile(String which) throws IOException {
        Settings s = Settings.load(List.of(ROOT.resolve("conf/experiments/mnist-dynamic-mvae-" + which + ".conf").toString()),
                List.of("model.encoder.hidden=[256]", "model.decoder.hidden=[256]", "model.latent-dim=16",
                        "model.multimodal.label-hidden=[64]", "model.multimodal.unpaired-fraction=0.2", "train.seed=1"));
        VaeConfig c = VaeConfig.from(s.config(), new ImageShape(28, 28, 1));
        TrainConfig tc = TrainConfig.from(s.config());
        Shard train = MnistRows.raw("train", TRAIN, 0);
        Shard test = MnistRows.raw("t10k", TEST, 0);
        Vae model = Vae.initialise(c, tc.seed());
        double[] before = figures(model, test, tc);
        long start = System.nanoTime();
        try (Replica r = new PartitionTrainer(tc, train).open(model, model.parameters(), AdamState.zeros(model.parameters()))) {
            r.run(STEPS);
            model.setParameters(r.layout().parameters(r.pack()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] after = figures(model, test, tc);
        String line = String.format(Locale.ROOT, "MVAE %s: %d steps of %d on %d images in %.0f s; test n=%d IWAE-50 "
                        + "joint %.2f -> %.2f, modality 0 %.2f -> %.2f, modality 1 %.2f -> %.2f, cross-modal %.4f -> %.4f",
                which, STEPS, tc.batchSize(), TRAIN, seconds, TEST, before[0], after[0], before[1], after[1], before[2], after[2],
                before[3], after[3]);
        assertTrue(after[0] > before[0] + 100, line);
        assertTrue(which.equals("label") ? after[3] > 0.5 : after[3] < 0.7 * before[3], line);
        if (Boolean.getBoolean("vaespark.docs.write")) {
            System.out.println(line);
            MultimodalEvaluation e = new MultimodalEvaluation(c, model.parameters(), 1, 1, 7);
            byte[] png;
            if (which.equals("label")) {
                int[] labels = new int[8 * 10];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = i % 10;
                }
                png = ImageGrid.png(tiles(e.labelToImage(labels), labels.length), c.image(), 10, 3);
            } else {
                int n = 10;
                float[] x = encode(test, n, tc, c);
                float[] masked = x.clone();
                int top = MultimodalVae.topValues(c);
                for (int i = 0; i < n; i++) {
                    java.util.Arrays.fill(masked, i * 784 + top, (i + 1) * 784, 0.5f);
                }
                List<float[]> t = new ArrayList<>(tiles(x, n));
                t.addAll(tiles(masked, n));
                t.addAll(tiles(e.bottomFromTop(x, n), n));
                png = ImageGrid.png(t, c.image(), n, 3);
            }
            Path out = ROOT.resolve("docs/mvae-" + which + ".png");
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            Files.write(tmp, png);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Mean IWAE-50 of the joint and of each modality, and the accuracy (label) or bottom-half MSE (halves). */
    private static double[] figures(Vae model, Shard test, TrainConfig tc) {
        VaeConfig c = model.config();
        float[] x = encode(test, test.size(), tc, c);
        double[] sums = new double[4];
        int n = test.size();
        int batch = 100;
        MultimodalEvaluation e = new MultimodalEvaluation(c, model.parameters(), 50, 50, 17);
        for (int start = 0; start < n; start += batch) {
            int m = Math.min(batch, n - start);
            long[] ids = java.util.Arrays.copyOfRange(test.ids(), start, start + m);
            int[] labels = java.util.Arrays.copyOfRange(test.labels(), start, start + m);
            float[] xs = java.util.Arrays.copyOfRange(x, start * 784, (start + m) * 784);
            for (MultimodalEvaluation.Estimate v : e.estimate(ids, xs, labels)) {
                sums[0] += v.iwae()[0] / n;
                sums[1] += v.iwae()[1] / n;
                sums[2] += v.iwae()[2] / n;
                sums[3] += (v.label() >= 0 ? (v.label() == v.predicted() ? 1.0 : 0.0) : v.bottomMse()) / n;
            }
        }
        return sums;
    }

    private static float[] encode(Shard test, int n, TrainConfig tc, VaeConfig c) {
        float[] x = new float[n * c.inputDim()];
        for (int i = 0; i < n; i++) {
            PixelEncoding.encode(test.pixels(), i, c.inputDim(), test.ids()[i], tc.binarization(), 5, 0, x, i);
        }
        return x;
    }

    private static List<float[]> tiles(float[] rows, int n) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(java.util.Arrays.copyOfRange(rows, i * 784, (i + 1) * 784));
        }
        return out;
    }
}
