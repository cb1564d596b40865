package org.vaespark.prep.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vaespark.prep.source.SourceFixtures.prepare;
import static org.vaespark.prep.source.SourceFixtures.rgbPng;
import static org.vaespark.prep.source.SourceFixtures.rows;
import static org.vaespark.prep.source.SourceFixtures.write;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.Manifest;

/** ImageNet 64x64 in the layouts of van den Oord et al. (2016) and Chrabaszcz et al. (2017), on tiny generated files. */
class ImageNet64SourceTest {
    private static final int DIM = 3 * 64 * 64;

    @Test
    void pngFoldersGiveUnlabelledRowsInSortedNameOrderAndTheVersion(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        byte[] b = rgbPng(in.resolve("train_64x64/b.png"), 64, 2);
        byte[] a = rgbPng(in.resolve("train_64x64/a.png"), 64, 1);
        byte[] c = rgbPng(in.resolve("train_64x64/c.png"), 64, 3);
        byte[] v = rgbPng(in.resolve("valid_64x64/x.png"), 64, 4);
        Manifest m = prepare(in, tmp.resolve("out"), "prepare.source=imagenet64-png", "prepare.images-per-task=2");
        Manifest again = prepare(in, tmp.resolve("out2"), "prepare.source=imagenet64-png");
        assertEquals("imagenet64", m.source());
        assertEquals("van-den-oord-2016", m.datasetVersion());
        assertEquals(Map.of("train", 3L, "test", 1L), m.counts());
        assertEquals(List.of("train_64x64/", "valid_64x64/"), m.sourceFiles().stream().map(Manifest.SourceFile::name).toList());
        assertEquals(m.contentSha256(), again.contentSha256());
        assertEquals(m.sourceFiles(), again.sourceFiles(), "folder hashes do not depend on images-per-task");
        List<ImageRecord> rows = rows(tmp.resolve("out"));
        assertArrayEquals(v, rows.get(0).pixels());
        assertEquals("test", rows.get(0).split());
        assertArrayEquals(a, rows.get(1).pixels());
        assertArrayEquals(b, rows.get(2).pixels());
        assertArrayEquals(c, rows.get(3).pixels());
        assertEquals(2, rows.get(3).id());
        assertNull(rows.get(1).label());
        assertTrue(Files.exists(tmp.resolve("out")));
    }

    @Test
    void badPngsAreRejectedNamingTheFile(@TempDir Path tmp) {
        pngFails(tmp, "small", p -> rgbPng(p, 32, 1), "32x32");
        pngFails(tmp, "grey", p -> SourceFixtures.image(p, "png", BufferedImage.TYPE_BYTE_GRAY, 64, 64, 1), "grey");
        pngFails(tmp, "rgba", p -> SourceFixtures.image(p, "png", BufferedImage.TYPE_INT_ARGB, 64, 64, 1), "RGBA");
        pngFails(tmp, "corrupt", p -> write(p, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}), "not a readable");
        Path empty = tmp.resolve("empty");
        rgbPng(empty.resolve("train_64x64/a.png"), 64, 1);
        empty.resolve("valid_64x64").toFile().mkdirs();
        VaeException e = assertThrows(VaeException.class,
                () -> prepare(empty, tmp.resolve("empty-out"), "prepare.source=imagenet64-png"));
        assertTrue(e.getMessage().contains("valid_64x64") && e.getMessage().contains("holds none"), e.getMessage());
    }

    @Test
    void picklesInsideTheOriginalZipsGiveLabelsMinusOneInNaturalBatchOrder(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        in.toFile().mkdirs();
        Map<String, byte[]> part1 = new LinkedHashMap<>();
        Map<String, byte[]> part2 = new LinkedHashMap<>();
        for (int i = 1; i <= 10; i++) {
            (i <= 5 ? part1 : part2).put("train_data_batch_" + i, batch(2, i * 10, 1000));
        }
        SourceFixtures.zip(in.resolve("Imagenet64_train_part1.zip"), part1);
        SourceFixtures.zip(in.resolve("Imagenet64_train_part2.zip"), part2);
        SourceFixtures.zip(in.resolve("Imagenet64_val.zip"), Map.of("val_data", batch(3, 7, 1)));
        Manifest m = prepare(in, tmp.resolve("out"), "prepare.source=imagenet64-pickle");
        assertEquals("chrabaszcz-2017", m.datasetVersion());
        assertEquals("imagenet64", m.source());
        assertEquals(Map.of("train", 20L, "test", 3L), m.counts());
        assertEquals(3, m.sourceFiles().size());
        List<ImageRecord> rows = rows(tmp.resolve("out"));
        ImageRecord first10 = rows.get(3 + 18);
        assertEquals(18, first10.id());
        assertEquals(999, first10.label(), "stored label 1000 is written as 999");
        assertEquals(100 & 0xFF, first10.pixel(0, 0, 0));
        assertEquals(0, rows.get(0).label(), "stored label 1 is written as 0");
        ImageRecord last9 = rows.get(3 + 17);
        assertEquals(List.of(90, 99, 0), List.of(last9.pixel(63, 63, 0), last9.pixel(63, 63, 1), last9.pixel(63, 63, 2)),
                "R, G, B planes become channels last");
    }

    @Test
    void labelOutOfRangeAndMissingBatchesAreNamed(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        for (int i = 1; i <= 10; i++) {
            write(in.resolve("train_data_batch_" + i), batch(1, i, i == 4 ? 1001 : 5));
        }
        write(in.resolve("val_data"), batch(1, 1, 1));
        VaeException e = assertThrows(VaeException.class,
                () -> prepare(in, tmp.resolve("out"), "prepare.source=imagenet64-pickle"));
        assertTrue(e.getMessage().contains("train_data_batch_4") && e.getMessage().contains("label 1001"), e.getMessage());
        write(in.resolve("train_data_batch_4"), batch(1, 4, 5));
        in.resolve("train_data_batch_7").toFile().delete();
        e = assertThrows(VaeException.class, () -> prepare(in, tmp.resolve("out"), "prepare.source=imagenet64-pickle"));
        assertTrue(e.getMessage().contains("train_data_batch_7"), e.getMessage());
    }

    /** {@code n} images whose red plane is {@code value}, green {@code value + 9}, blue 0; every label {@code label}. */
    private static byte[] batch(int n, int value, long label) {
        byte[] data = new byte[n * DIM];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(data, i * DIM, i * DIM + 4096, (byte) value);
            java.util.Arrays.fill(data, i * DIM + 4096, i * DIM + 8192, (byte) (value + 9));
            labels[i] = label;
        }
        return TestPickles.batch(data, n, DIM, labels);
    }

    private static void pngFails(Path tmp, String name, java.util.function.Consumer<Path> bad, String expected) {
        Path in = tmp.resolve(name);
        rgbPng(in.resolve("train_64x64/a.png"), 64, 1);
        rgbPng(in.resolve("valid_64x64/a.png"), 64, 1);
        bad.accept(in.resolve("valid_64x64/b.png"));
        VaeException e = assertThrows(VaeException.class,
                () -> prepare(in, tmp.resolve(name + "-out"), "prepare.source=imagenet64-png"));
        assertTrue(e.getMessage().contains("b.png") && e.getMessage().contains(expected), e.getMessage());
    }
}
