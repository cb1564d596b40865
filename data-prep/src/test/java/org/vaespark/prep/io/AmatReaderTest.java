package org.vaespark.prep.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.testing.ReferenceFiles;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.TestFiles;

/**
 * Reads the real binarized MNIST files. Expected counts of ones were computed independently
 * with a python3 script from the same files.
 */
class AmatReaderTest {
    static Path file(String split) {
        return SharedData.file("binarized_mnist/binarized_mnist_" + split + ".amat.gz");
    }

    private static void check(List<ImageRecord> records, String split, int count, long ones, long firstOnes,
                              long lastOnes) {
        assertEquals(count, records.size());
        long total = 0;
        for (int i = 0; i < records.size(); i++) {
            ImageRecord r = records.get(i);
            assertEquals(i, r.id());
            assertEquals(split, r.split());
            assertNull(r.label());
            assertEquals(28, r.height());
            assertEquals(28, r.width());
            assertEquals(1, r.channels());
            for (byte b : r.pixels()) {
                assertTrue(b == 0 || b == 1, "pixel " + b + " in image " + i);
                total += b;
            }
        }
        assertEquals(ones, total);
        assertEquals(firstOnes, IdxReaderTest.pixelSum(records.subList(0, 1)));
        assertEquals(lastOnes, IdxReaderTest.pixelSum(records.subList(count - 1, count)));
    }

    @Test
    void trainSplit() {
        check(AmatReader.read(file("train"), "train"), "train", 50000, 5118041, 123, 119);
    }

    @Test
    void validSplit() {
        check(AmatReader.read(file("valid"), "valid"), "valid", 10000, 1028036, 90, 137);
    }

    @Test
    void testSplit() {
        check(AmatReader.read(file("test"), "test"), "test", 10000, 1038896, 147, 116);
    }

    @Test
    void plainFileGivesTheSameRecordsAsGzip(@TempDir Path dir) throws IOException {
        Path plain = TestFiles.gunzip(file("valid"), dir, "binarized_mnist_valid.amat");
        try (InputStream in = Files.newInputStream(plain)) {
            assertEquals(ReferenceFiles.BINARIZED_VALID_PLAIN_SHA256,
                    Checksums.sha256(in, plain.toString()), "the official plain file (data README)");
        }
        assertEquals(AmatReader.read(file("valid"), "valid"), AmatReader.read(plain, "valid"));
    }
}
