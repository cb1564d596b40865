package org.vaespark.prep.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.DatasetWriter;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.Prepare;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.SparkTestSession;
import org.vaespark.prep.testing.TinyDatasets;
import org.vaespark.prep.validate.DatasetValidator;

/**
 * prepare.source=transform on real CIFAR-10 test records (Krizhevsky 2009) from ../shared/data/cifar10:
 * grey-scale (ITU-R BT.601 luma), centre crop to 28x28 and static binarization, checked against an
 * independent exact-decimal luma and crop computed here from the raw planar records.
 */
class DerivedDatasetTest {
    private static final int RECORD = 3073;
    private static final int PICKED = 20;

    @TempDir
    static Path tmp;
    private static byte[] raw;
    private static Path cifar;

    /** Every 500th record of the class-sorted test file (two of each class), prepared as a CIFAR-10 test split. */
    @BeforeAll
    static void prepareCifar() throws Exception {
        byte[] all = Files.readAllBytes(SharedData.file("cifar10/test_class_sorted.bin"));
        raw = new byte[PICKED * RECORD];
        for (int i = 0; i < PICKED; i++) {
            System.arraycopy(all, i * 500 * RECORD, raw, i * RECORD, RECORD);
        }
        Path in = tmp.resolve("raw");
        Files.createDirectories(in);
        Files.write(in.resolve("test_batch.bin"), raw);
        cifar = tmp.resolve("cifar10");
        prepare("prepare.source=cifar10-binary", "prepare.input=" + in, "prepare.output=" + cifar,
                "prepare.cifar10.train-files=[]", "prepare.cifar10.test-files=[test_batch]");
    }

    private static Manifest prepare(String... overrides) {
        return Prepare.run(SparkTestSession.get(), Settings.defaults(overrides));
    }

    private static Manifest transform(Path out, String... keys) {
        List<String> all = new ArrayList<>(List.of("prepare.source=transform", "prepare.input=" + cifar, "prepare.output=" + out));
        all.addAll(List.of(keys));
        return prepare(all.toArray(String[]::new));
    }

    private static List<ImageRecord> rows(Path root) {
        List<ImageRecord> out = new ArrayList<>();
        for (Row r : DatasetReader.read(SparkTestSession.get(), root.toString()).collectAsList()) {
            out.add(ImageSchema.fromRow(r));
        }
        out.sort(Comparator.comparingLong(ImageRecord::id));
        return out;
    }

    /** round(0.299 R + 0.587 G + 0.114 B), halves up, in exact decimals, of pixel (row, col) of raw record {@code n}. */
    private static int luma(int n, int row, int col) {
        BigDecimal y = BigDecimal.ZERO;
        String[] weights = {"0.299", "0.587", "0.114"};
        for (int ch = 0; ch < 3; ch++) {
            int v = raw[n * RECORD + 1 + ch * 1024 + row * 32 + col] & 0xFF;
            y = y.add(new BigDecimal(weights[ch]).multiply(BigDecimal.valueOf(v)));
        }
        return y.setScale(0, RoundingMode.HALF_UP).intValueExact();
    }

    @Test
    void greyCentreCropIsTheLumaOfTheCentral28x28AndKeepsIdsAndLabels() {
        Path out = tmp.resolve("grey-crop");
        Manifest m = transform(out, "prepare.transform.grey=true", "prepare.transform.crop=[28, 28]");
        assertEquals("cifar10", m.source());
        assertEquals("grey-crop-28x28", m.transform());
        assertEquals("cifar10+grey-crop-28x28", m.name());
        assertEquals(List.of(28, 28, 1), List.of(m.height(), m.width(), m.channels()));
        assertEquals("uint8-grey-0-255", m.pixelEncoding());
        assertEquals(Map.of("test", (long) PICKED), m.counts());
        List<ImageRecord> rows = rows(out);
        assertEquals(PICKED, rows.size());
        int differing = 0;
        for (int n = 0; n < PICKED; n++) {
            ImageRecord r = rows.get(n);
            assertEquals(n, r.id());
            assertEquals(n / 2, r.label(), "two records of each class, in class order");
            for (int row = 0; row < 28; row++) {
                for (int col = 0; col < 28; col++) {
                    assertEquals(luma(n, row + 2, col + 2), r.pixel(row, col, 0), "record " + n + " (" + row + "," + col + ")");
                    differing += luma(n, row + 2, col + 2) != luma(n, row, col) ? 1 : 0;
                }
            }
        }
        assertTrue(differing > 1000, "the crop is centred, not the top-left corner (" + differing + " pixels differ)");
        assertTrue(DatasetValidator.validate(SparkTestSession.get(), out.toString(), cifar.toString()).ok(),
                "the derived dataset validates, including the input manifest named as its source file");
    }

    @Test
    void staticBinarizationDrawsBernoulliOfTheGreyLevelOnceAndRecordsTheTransform() throws Exception {
        Path out = tmp.resolve("binarized");
        Manifest m = transform(out, "prepare.transform.grey=true", "prepare.transform.crop=[28, 28]",
                "prepare.transform.binarize=true", "prepare.transform.seed=7");
        assertEquals("cifar10", m.source());
        assertEquals("grey-crop-28x28-static-binarized-seed-7", m.transform());
        assertEquals("binary-0-1", m.pixelEncoding());
        assertTrue(m.binarized());
        assertNotNull(m.contentSha256());
        byte[] inputManifest = Files.readAllBytes(cifar.resolve("_manifest.json"));
        assertEquals(new Manifest.SourceFile("_manifest.json", inputManifest.length,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(inputManifest))), m.sourceFiles().get(0));
        assertEquals(m, DatasetReader.manifest(SparkTestSession.get(), out.toString()), "written as returned");

        List<ImageRecord> rows = rows(out);
        double ones = 0;
        double expected = 0;
        for (int n = 0; n < PICKED; n++) {
            ImageRecord r = rows.get(n);
            assertEquals(n / 2, r.label());
            for (int i = 0; i < 784; i++) {
                int grey = luma(n, i / 28 + 2, i % 28 + 2);
                int bit = r.pixels()[i];
                assertTrue(bit == 0 || bit == 1);
                // the draw is a pure function of (seed, id, pixel index): 1 iff u < grey / 255
                assertEquals(NoiseSource.uniform(7, ImageTransform.BINARIZE_STREAM, n, i) < grey / 255.0 ? 1 : 0, bit);
                if (grey == 0 || grey == 255) {
                    assertEquals(grey / 255, bit, "grey 0 and 255 are certain");
                }
                ones += bit;
                expected += grey / 255.0;
            }
        }
        double total = PICKED * 784.0;
        assertEquals(expected / total, ones / total, 0.02, "the fraction of ones matches the mean grey level / 255");

        Manifest again = transform(tmp.resolve("binarized-again"), "prepare.transform.grey=true", "prepare.transform.crop=[28, 28]",
                "prepare.transform.binarize=true", "prepare.transform.seed=7");
        assertEquals(m.contentSha256(), again.contentSha256(), "the same seed gives the same dataset");
        Manifest other = transform(tmp.resolve("binarized-seed-8"), "prepare.transform.grey=true", "prepare.transform.crop=[28, 28]",
                "prepare.transform.binarize=true", "prepare.transform.seed=8");
        assertTrue(!m.contentSha256().equals(other.contentSha256()), "another seed gives other draws");
    }

    @Test
    void badTransformKeysAreNamed() {
        Path out = tmp.resolve("never");
        rejects("prepare.transform.crop", () -> transform(out, "prepare.transform.crop=[28]"));
        rejects("prepare.transform.crop", () -> transform(out, "prepare.transform.crop=[28, 0]"));
        rejects("prepare.transform.crop", () -> transform(out, "prepare.transform.crop=[40, 40]"));
        rejects("prepare.transform.grey", () -> transform(out));
        rejects("prepare.transform.binarize", () -> prepare("prepare.source=cifar10-binary", "prepare.input=in",
                "prepare.output=out", "prepare.transform.binarize=true"));
        rejects("prepare.transform.seed", () -> transform(out, "prepare.transform.binarize=true", "prepare.transform.seed=x"));

        Path grey = tmp.resolve("mnist-shaped");
        var tiny = TinyDatasets.mnistShaped(3, 4);
        DatasetWriter.write(SparkTestSession.get(), grey.toString(), tiny.splits(), Manifest.of(tiny, Instant.now()), false);
        VaeException e = rejects("prepare.transform.grey", () -> prepare("prepare.source=transform", "prepare.input=" + grey,
                "prepare.output=" + out, "prepare.transform.grey=true"));
        assertTrue(e.getMessage().contains("3 channels"), e.getMessage());
        assertTrue(!Files.exists(out), "nothing is written when a key is bad");
    }

    private static VaeException rejects(String key, org.junit.jupiter.api.function.Executable run) {
        VaeException e = assertThrows(VaeException.class, run);
        assertTrue(e.getMessage().contains(key), e.getMessage());
        return e;
    }
}
