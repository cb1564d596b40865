package org.vaespark.jobs.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ImputationConfig;
import org.vaespark.core.eval.ImputationMask;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.prior.VampPrior;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.train.Shard;
import org.vaespark.jobs.eval.DistributedImputation;
import org.vaespark.jobs.eval.MetricValue;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * The pictures decode back as PNGs of the expected size and pixels; pictures that do not apply are
 * absent with the reason; distributed imputation figures do not depend on partitioning.
 */
class FiguresTest {
    static final ImageShape MNIST = new ImageShape(28, 28, 1);
    @TempDir
    Path dir;

    @Test
    void vampPriorModelGetsAllFourPicturesThatDecodeBack() throws Exception {
        VaeConfig mc = config("model.prior.kind=vamp", "model.prior.components=6", "model.prior.pseudo-inputs.init=random");
        NamedArrays p = ModelDescription.layout(mc).initialise(2);
        Shard test = MnistRows.binarized("test", 20, 0);
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.resolve("figs").toUri());
        FigureConfig cfg = new FigureConfig(3, 5, 2, 4, 8, 4, 28, 7);
        Map<String, Figure> figures = byName(Figures.write(spark(), mc, p, Binarization.STATIC, frame(test), out, cfg));
        assertTrue(figures.values().stream().allMatch(Figure::present), figures.toString());
        assertTrue(figures.get(Figures.INTERPOLATIONS).note().contains("spread out in z by farthest-point sampling among 8 seeded candidates"),
                figures.get(Figures.INTERPOLATIONS).note());
        int tile = 28 + ImageGrid.GAP;

        BufferedImage samples = read("samples.png");
        assertEquals(3 * tile + 1, samples.getWidth());
        assertEquals(3 * tile + 1, samples.getHeight());

        BufferedImage recon = read("reconstructions.png");
        assertEquals(5 * tile + 1, recon.getWidth());
        assertEquals(2 * tile + 1, recon.getHeight());
        int matches = 0;
        for (int i = 0; i < test.size(); i++) {
            boolean same = true;
            for (int px = 0; px < 784 && same; px++) {
                int expected = test.pixels()[i * 784 + px] == 0 ? 0 : 255;
                same = expected == recon.getRaster().getSample(1 + 2 * tile + px % 28, 1 + px / 28, 0);
            }
            matches += same ? 1 : 0;
        }
        assertTrue(matches >= 1, "the third tile of the first row is one of the test images, pixel for pixel");

        BufferedImage interp = read("interpolations.png");
        assertEquals(4 * tile + 1, interp.getWidth());
        assertEquals(2 * tile + 1, interp.getHeight());

        BufferedImage pseudo = read("pseudo-inputs.png");
        assertEquals(2 * tile + 1, pseudo.getWidth());
        float[] u = p.values(VampPrior.PSEUDO_INPUTS);
        for (int i = 0; i < 784; i += 37) {
            double v = Math.max(0, Math.min(1, u[784 + i]));
            assertEquals((int) Math.round(255 * v), pseudo.getRaster().getSample(1 + tile + i % 28, 1 + i / 28, 0),
                    "pseudo-input 1 pixel " + i);
        }
        List<String> left = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.forEach(f -> left.add(f.getFileName().toString()));
        }
        assertEquals(List.of("figs"), left, "no temporary directory is left behind");
    }

    @Test
    void imagesAreScaledUpToTilePixelsAndInterpolationsJoinDifferentLabels() throws Exception {
        VaeConfig mc = config();
        NamedArrays p = ModelDescription.layout(mc).initialise(4);
        Shard test = MnistRows.binarized("test", 30, 0);
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.resolve("figs").toUri());
        // 96 pixels: each 28 x 28 image is drawn x3 (84 x 84), the gaps too
        FigureConfig cfg = new FigureConfig(2, 4, 3, 5, 20, 4, 96, 3);
        Map<String, Figure> figures = byName(Figures.write(spark(), mc, p, Binarization.STATIC, labelledFrame(test), out, cfg));
        int tile = 3 * (28 + ImageGrid.GAP);
        BufferedImage samples = read("samples.png");
        assertEquals(2 * tile + 3, samples.getWidth());
        for (int y = 30; y < 33; y++) {
            for (int x = 30; x < 33; x++) {
                assertEquals(samples.getRaster().getSample(30, 30, 0), samples.getRaster().getSample(x, y, 0), "a 3 x 3 block per pixel");
            }
        }
        BufferedImage interp = read("interpolations.png");
        assertEquals(5 * tile + 3, interp.getWidth());
        assertEquals(3 * tile + 3, interp.getHeight());
        String note = figures.get(Figures.INTERPOLATIONS).note();
        assertTrue(note.contains("with different labels"), note);
        Matcher m = Pattern.compile("\\(label (\\d+)\\) → id \\d+ \\(label (\\d+)\\)").matcher(note);
        int pairs = 0;
        while (m.find()) {
            assertTrue(!m.group(1).equals(m.group(2)), note);
            pairs++;
        }
        assertEquals(3, pairs, note);
        assertTrue(note.contains("(label 0) → id") && note.contains("(label 2) → id"), "pairs cover the classes: " + note);
    }

    @Test
    void picturesThatDoNotApplyAreAbsentWithTheReason() {
        VaeConfig mc = config("model.pixelcnn.layers=1", "model.pixelcnn.channels=4");
        NamedArrays p = ModelDescription.layout(mc).initialise(2);
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.resolve("pcnn").toUri());
        Map<String, Figure> figures = byName(Figures.write(spark(), mc, p, Binarization.STATIC,
                frame(MnistRows.binarized("test", 4, 0)), out, new FigureConfig(2, 2, 1, 3, 2, 4, 28, 1)));
        for (String name : List.of(Figures.SAMPLES, Figures.RECONSTRUCTIONS, Figures.INTERPOLATIONS)) {
            assertFalse(figures.get(name).present());
            assertNull(figures.get(name).path());
            assertTrue(figures.get(name).note().contains("PixelCNN"), figures.get(name).note());
        }
        assertTrue(figures.get(Figures.PSEUDO_INPUTS).note().contains("no VampPrior"));
    }

    @Test
    void imputationFiguresDoNotDependOnPartitioning() {
        VaeConfig mc = config();
        NamedArrays p = ModelDescription.layout(mc).initialise(3);
        Dataset<Row> test = frame(MnistRows.binarized("test", 12, 0));
        DistributedImputation.Job job = new DistributedImputation.Job(mc, p,
                new ImputationConfig(ImputationMask.BOTTOM_HALF, 0.5, 2, 5), new EvalConfig(1, 1, 4, 5, "test", null),
                Binarization.STATIC, 1);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark().sparkContext());
        List<MetricValue> one = DistributedImputation.metrics(sc, test, job, 1);
        List<MetricValue> three = DistributedImputation.metrics(sc, test, job, 3);
        assertEquals(one, three);
        Map<String, MetricValue> m = one.stream().collect(Collectors.toMap(MetricValue::metric, Function.identity()));
        assertEquals(12, m.get(DistributedImputation.MSE).n());
        assertTrue(m.get(DistributedImputation.ERROR_RATE_BASELINE).present());
        assertTrue(m.get(DistributedImputation.MSE).note().contains("bottom half"));

        VaeConfig m2 = config("model.kind=m2");
        List<MetricValue> absent = DistributedImputation.metrics(sc, test, new DistributedImputation.Job(m2,
                ModelDescription.layout(m2).initialise(1), job.imputation(), job.eval(), Binarization.STATIC, 1), 2);
        assertTrue(absent.stream().noneMatch(MetricValue::present));
        assertTrue(absent.get(0).note().contains("M2"), absent.get(0).note());
    }

    private BufferedImage read(String name) throws Exception {
        File f = dir.resolve("figs").resolve(name).toFile();
        assertTrue(f.isFile(), name);
        BufferedImage image = ImageIO.read(f);
        assertTrue(image != null, name + " decodes as an image");
        return image;
    }

    private static VaeConfig config(String... overrides) {
        Settings s = Settings.defaults("model.encoder.hidden=[16]", "model.decoder.hidden=[16]", "model.latent-dim=4",
                "model.labels.classifier-hidden=[8]").with(overrides);
        return VaeConfig.from(s.config(), MNIST);
    }

    private static Map<String, Figure> byName(List<Figure> figures) {
        assertEquals(4, figures.size());
        return figures.stream().collect(Collectors.toMap(Figure::name, Function.identity()));
    }

    private static SparkSession spark() {
        return SparkTestSession.get();
    }

    /** Labels 0, 1, 2 by id mod 3, as a labelled split has them. */
    private static Dataset<Row> labelledFrame(Shard shard) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < shard.size(); i++) {
            byte[] px = java.util.Arrays.copyOfRange(shard.pixels(), i * 784, (i + 1) * 784);
            rows.add(RowFactory.create(shard.ids()[i], "test", (int) (shard.ids()[i] % 3), 28, 28, 1, px));
        }
        return spark().createDataFrame(rows, ImageSchema.SCHEMA);
    }

    private static Dataset<Row> frame(Shard shard) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < shard.size(); i++) {
            byte[] px = java.util.Arrays.copyOfRange(shard.pixels(), i * 784, (i + 1) * 784);
            rows.add(RowFactory.create(shard.ids()[i], "test", null, 28, 28, 1, px));
        }
        return spark().createDataFrame(rows, ImageSchema.SCHEMA);
    }
}
