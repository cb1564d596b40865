package org.vaespark.prep.io;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.testing.TestFiles;

/** Damaged copies of the real MNIST test files, made in a temporary folder; each must fail naming file and record. */
class IdxCorruptionTest {
    private static final int HEADER = 16;
    private static final int IMAGE = 28 * 28;

    @TempDir
    Path dir;

    private Path plainImages() {
        return TestFiles.gunzip(IdxReaderTest.TEST_IMAGES, dir, "t10k-images-idx3-ubyte");
    }

    private Path plainLabels() {
        return TestFiles.gunzip(IdxReaderTest.TEST_LABELS, dir, "t10k-labels-idx1-ubyte");
    }

    private static VaeException fails(Path images, Path labels) {
        return assertThrows(VaeException.class, () -> IdxReader.read(images, labels, "test"));
    }

    private static void assertMentions(VaeException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message lacks '" + part + "': " + e.getMessage());
        }
    }

    @Test
    void wrongMagicIsReportedWithFoundAndExpectedValues() throws Exception {
        byte[] bytes = Files.readAllBytes(plainImages());
        bytes[3] = 0x04;
        Path bad = TestFiles.write(dir, "bad-magic-images", bytes);
        assertMentions(fails(bad, IdxReaderTest.TEST_LABELS), "bad-magic-images", "header", "0x00000804", "0x00000803");
    }

    @Test
    void labelsFileGivenAsImagesIsReported() {
        VaeException e = fails(IdxReaderTest.TEST_LABELS, IdxReaderTest.TEST_LABELS);
        assertMentions(e, "t10k-labels-idx1-ubyte.gz", "header", "0x00000801", "0x00000803");
    }

    @Test
    void truncatedImagesFileNamesTheRecordWhereItEnds() {
        Path cut = TestFiles.truncatedCopy(plainImages(), dir, "cut-images", HEADER + 1234 * IMAGE + 100);
        assertMentions(fails(cut, IdxReaderTest.TEST_LABELS), "cut-images", "record 1234 of 10000", "truncated");
    }

    @Test
    void truncatedGzipImagesFileNamesARecord() throws Exception {
        long size = Files.size(IdxReaderTest.TEST_IMAGES);
        Path cut = TestFiles.truncatedCopy(IdxReaderTest.TEST_IMAGES, dir, "cut-images.gz", (int) (size / 2));
        VaeException e = fails(cut, IdxReaderTest.TEST_LABELS);
        assertMentions(e, "cut-images.gz", "gzip");
        assertTrue(e.getMessage().matches("(?s).*record \\d+ of 10000.*"), e.getMessage());
    }

    @Test
    void truncatedLabelsFileNamesTheRecordWhereItEnds() {
        Path cut = TestFiles.truncatedCopy(plainLabels(), dir, "cut-labels", 8 + 5000);
        assertMentions(fails(IdxReaderTest.TEST_IMAGES, cut), "cut-labels", "record 5000 of 10000", "truncated");
    }

    @Test
    void countMismatchNamesBothFiles() {
        VaeException e = fails(IdxReaderTest.TRAIN_IMAGES, IdxReaderTest.TEST_LABELS);
        assertMentions(e, "train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "60000", "10000", "header");
    }

    @Test
    void garbageAfterAValidGzipHeaderIsABadGzipError() {
        byte[] bytes = new byte[4096];
        new Random(7).nextBytes(bytes);
        byte[] header = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
        System.arraycopy(header, 0, bytes, 0, header.length);
        bytes[10] = (byte) 0xff;
        Path bad = TestFiles.write(dir, "garbage-images.gz", bytes);
        VaeException e = fails(bad, IdxReaderTest.TEST_LABELS);
        assertMentions(e, "garbage-images.gz", "invalid gzip data", "header");
        assertInstanceOf(ZipException.class, e.getCause());
    }

    @Test
    void damagedDeflateDataInTheMiddleIsReported() throws Exception {
        byte[] bytes = Files.readAllBytes(IdxReaderTest.TEST_IMAGES);
        for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
            bytes[i] ^= 0x5a;
        }
        Path bad = TestFiles.write(dir, "damaged-images.gz", bytes);
        assertMentions(fails(bad, IdxReaderTest.TEST_LABELS), "damaged-images.gz", "gzip");
    }

    @Test
    void labelAboveNineIsReportedWithItsRecord() throws Exception {
        byte[] bytes = Files.readAllBytes(plainLabels());
        bytes[8 + 77] = 10;
        Path bad = TestFiles.write(dir, "bad-labels", bytes);
        assertMentions(fails(IdxReaderTest.TEST_IMAGES, bad), "bad-labels", "record 77 of 10000", "label 10");
    }

    @Test
    void emptyFileIsATruncatedHeader() {
        Path empty = TestFiles.write(dir, "empty-images", new byte[0]);
        assertMentions(fails(empty, IdxReaderTest.TEST_LABELS), "empty-images", "header", "truncated");
    }

    @Test
    void bytesAfterTheLastRecordAreReported() throws Exception {
        byte[] bytes = Files.readAllBytes(plainLabels());
        Path bad = TestFiles.write(dir, "long-labels", Arrays.copyOf(bytes, bytes.length + 3));
        assertMentions(fails(IdxReaderTest.TEST_IMAGES, bad), "long-labels", "3 unexpected bytes", "after record 9999");
    }
}
