package org.vaespark.prep.source;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.spark.sql.Row;
import org.vaespark.core.config.Settings;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.Prepare;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.SparkTestSession;

/** Shared helpers of the parallel-source tests: CIFAR subsets, archives, PNGs and a prepare-and-read round trip. */
final class SourceFixtures {
    static final int RECORD = CifarBinaryDecoder.RECORD;

    private SourceFixtures() {
    }

    /** Runs the prepare job with these overrides plus input and output. */
    static Manifest prepare(Path input, Path output, String... overrides) {
        List<String> all = new ArrayList<>(List.of(overrides));
        all.add("prepare.input=" + input);
        all.add("prepare.output=" + output);
        return Prepare.run(SparkTestSession.get(), Settings.defaults(all.toArray(String[]::new)));
    }

    /** All rows of the dataset at {@code root}, sorted by split then id. */
    static List<ImageRecord> rows(Path root) {
        List<Row> rows = DatasetReader.read(SparkTestSession.get(), root.toString()).collectAsList();
        List<ImageRecord> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(ImageSchema.fromRow(r));
        }
        out.sort(Comparator.comparing(ImageRecord::split).thenComparingLong(ImageRecord::id));
        return out;
    }

    /** The first {@code n} records of a reference CIFAR-10 file in ../shared/data/cifar10. */
    static byte[] cifarRecords(String file, int n) {
        try {
            byte[] all = Files.readAllBytes(SharedData.file("cifar10/" + file));
            return Arrays.copyOf(all, n * RECORD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The python-version pickle of binary CIFAR records: labels and the 3072 planar pixel bytes of each. */
    static byte[] cifarPickle(byte[] records) {
        int n = records.length / RECORD;
        byte[] data = new byte[n * (RECORD - 1)];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = records[i * RECORD] & 0xFF;
            System.arraycopy(records, i * RECORD + 1, data, i * (RECORD - 1), RECORD - 1);
        }
        return TestPickles.batch(data, n, RECORD - 1, labels);
    }

    static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tar.gz of the given entries (name to content), in the given order. */
    static Path tarGz(Path file, Map<String, byte[]> entries) {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(file)))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A zip of the given entries (name to content), in the given order. */
    static Path zip(Path file, Map<String, byte[]> entries) {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a PNG (or another ImageIO format) of {@code type} filled with a pattern; returns its HWC bytes. */
    static byte[] image(Path file, String format, int type, int h, int w, int seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        int bands = img.getRaster().getNumBands();
        byte[] hwc = new byte[h * w * bands];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int[] px = new int[bands];
                for (int b = 0; b < bands; b++) {
                    px[b] = (seed * 31 + r * 7 + c * 3 + b * 101) & 0xFF;
                    hwc[(r * w + c) * bands + b] = (byte) px[b];
                }
                img.getRaster().setPixel(c, r, px);
            }
        }
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream o = Files.newOutputStream(file)) {
                if (!ImageIO.write(img, format, o)) {
                    throw new IllegalStateException("no " + format + " writer for type " + type);
                }
            }
            return hwc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] rgbPng(Path file, int side, int seed) {
        return image(file, "png", BufferedImage.TYPE_3BYTE_BGR, side, side, seed);
    }
}
