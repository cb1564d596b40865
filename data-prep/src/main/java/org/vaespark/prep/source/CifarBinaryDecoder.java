package org.vaespark.prep.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.io.Compression;

/**
 * The CIFAR-10 binary version (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny
 * Images", https://www.cs.toronto.edu/~kriz/cifar.html): files of 3073-byte records, one label byte
 * 0..9 then 1024 red, 1024 green and 1024 blue bytes of a 32x32 image, each plane row-major.
 *
 * @param trainFiles base names of the training files ({@code data_batch_1.bin} ...)
 * @param testFiles  base names of the test files ({@code test_batch.bin})
 */
record CifarBinaryDecoder(List<String> trainFiles, List<String> testFiles) implements PartDecoder {
    static final int SIDE = 32;
    static final int RECORD = 1 + 3 * SIDE * SIDE;
    static final int MAX_LABEL = 9;
    private static final String FIX = "the file is damaged or not a CIFAR-10 binary batch: download "
            + "cifar-10-binary.tar.gz again from https://www.cs.toronto.edu/~kriz/cifar.html";

    @Override
    public String splitOf(String entryName) {
        return Cifar10Source.splitOf(entryName, trainFiles, testFiles);
    }

    @Override
    public long decode(InputStream in, String name, String split, long firstId, Consumer<ImageRecord> out) {
        byte[] buf = new byte[RECORD];
        long i = 0;
        while (true) {
            int n;
            try {
                n = in.readNBytes(buf, 0, RECORD);
            } catch (IOException e) {
                throw Compression.readFailure(name, "record " + i, e);
            }
            if (n == 0) {
                return i;
            }
            if (n < RECORD) {
                throw Errors.corruptFile(name, "record " + i, "the file is " + (i * RECORD + n) + " bytes, not a multiple of "
                        + RECORD + " (1 label byte + 3072 pixel bytes per image): record " + i + " has only " + n
                        + " bytes", FIX);
            }
            int label = buf[0] & 0xFF;
            if (label > MAX_LABEL) {
                throw Errors.corruptFile(name, "record " + i, "label " + label + " is outside 0.." + MAX_LABEL, FIX);
            }
            out.accept(new ImageRecord(firstId + i, split, label, SIDE, SIDE, 3, Planar.toHwc(buf, 1, SIDE)));
            i++;
        }
    }
}
