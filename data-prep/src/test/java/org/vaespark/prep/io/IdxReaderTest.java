package org.vaespark.prep.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.TestFiles;

/**
 * Reads the real MNIST files. Expected numbers were computed independently with a python3 script
 * (gzip + struct) from the same files.
 */
class IdxReaderTest {
    static final Path TRAIN_IMAGES = SharedData.file("mnist/train-images-idx3-ubyte.gz");
    static final Path TRAIN_LABELS = SharedData.file("mnist/train-labels-idx1-ubyte.gz");
    static final Path TEST_IMAGES = SharedData.file("mnist/t10k-images-idx3-ubyte.gz");
    static final Path TEST_LABELS = SharedData.file("mnist/t10k-labels-idx1-ubyte.gz");

    private static List<ImageRecord> train;
    private static List<ImageRecord> test;

    @BeforeAll
    static void read() {
        train = IdxReader.read(TRAIN_IMAGES, TRAIN_LABELS, "train");
        test = IdxReader.read(TEST_IMAGES, TEST_LABELS, "test");
    }

    @Test
    void trainSplitHasCountsShapeAndLabelsOfMnist() {
        assertEquals(60000, train.size());
        assertArrayEquals(new long[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, histogram(train));
        assertEquals(List.of(5, 0, 4, 1, 9, 2, 1, 3, 1, 4), train.subList(0, 10).stream().map(ImageRecord::label).toList());
        assertEquals(8, train.get(59999).label());
        for (int i = 0; i < train.size(); i++) {
            ImageRecord r = train.get(i);
            assertEquals(i, r.id());
            assertEquals("train", r.split());
            assertEquals(28, r.height());
            assertEquals(28, r.width());
            assertEquals(1, r.channels());
        }
    }

    @Test
    void testSplitHasCountsAndLabelsOfMnist() {
        assertEquals(10000, test.size());
        assertArrayEquals(new long[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, histogram(test));
        assertEquals(List.of(7, 2, 1, 0, 4, 1, 4, 9, 5, 9), test.subList(0, 10).stream().map(ImageRecord::label).toList());
        assertEquals(6, test.get(9999).label());
    }

    @Test
    void pixelSumsMatchIndependentComputation() {
        assertEquals(1567298545L, pixelSum(train));
        assertEquals(27525L, pixelSum(train.subList(0, 1)));
        assertEquals(20920L, pixelSum(train.subList(59999, 60000)));
        assertEquals(22386L, pixelSum(train.subList(50000, 50001)));
        assertEquals(60, train.get(12345).pixel(14, 14, 0));
        assertEquals(264923200L, pixelSum(test));
        assertEquals(18454L, pixelSum(test.subList(0, 1)));
        assertEquals(41833L, pixelSum(test.subList(9999, 10000)));
    }

    @Test
    void plainFilesGiveTheSameRecordsAsGzip(@TempDir Path dir) {
        Path images = TestFiles.gunzip(TEST_IMAGES, dir, "t10k-images-idx3-ubyte");
        Path labels = TestFiles.gunzip(TEST_LABELS, dir, "t10k-labels-idx1-ubyte");
        List<ImageRecord> plain = IdxReader.read(images, labels, "test");
        assertNotSame(test, plain);
        assertEquals(test, plain);
        assertEquals(test, IdxReader.read(images, TEST_LABELS, "test"), "plain images with gzip labels");
    }

    static long[] histogram(List<ImageRecord> records) {
        long[] h = new long[10];
        for (ImageRecord r : records) {
            h[r.label()]++;
        }
        return h;
    }

    static long pixelSum(List<ImageRecord> records) {
        long s = 0;
        for (ImageRecord r : records) {
            for (byte b : r.pixels()) {
                s += b & 0xFF;
            }
        }
        return s;
    }
}
