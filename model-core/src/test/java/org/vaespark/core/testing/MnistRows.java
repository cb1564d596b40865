package org.vaespark.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;
import org.vaespark.core.train.Shard;

/**
 * Real statically binarized MNIST rows for model tests, read straight from the shared .amat.gz
 * (model-core does not depend on data-prep; the production reader lives there).
 */
public final class MnistRows {
    private MnistRows() {
    }

    /** The first {@code n} images of the binarized MNIST split ("train", "valid" or "test") as a shard. */
    public static Shard binarized(String split, int n, int partition) {
        long[] ids = new long[n];
        byte[] pixels = new byte[n * 784];
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(SharedData.file("binarized_mnist/binarized_mnist_" + split + ".amat.gz"))), StandardCharsets.US_ASCII))) {
            for (int i = 0; i < n; i++) {
                String[] tokens = r.readLine().trim().split(" ");
                for (int j = 0; j < 784; j++) {
                    pixels[i * 784 + j] = (byte) (tokens[j].equals("1") ? 1 : 0);
                }
                ids[i] = i;
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Shard(partition, ids, pixels, 784);
    }

    /**
     * The first {@code n} images of raw LeCun MNIST ("train" or "t10k"): grey levels 0..255 and
     * their labels, read from the shared IDX files (big-endian headers, then uint8 values).
     */
    public static Shard raw(String split, int n, int partition) {
        byte[] pixels = new byte[n * 784];
        byte[] labelBytes = new byte[n];
        readIdx("mnist/" + split + "-images-idx3-ubyte.gz", 0x803, 16, pixels);
        readIdx("mnist/" + split + "-labels-idx1-ubyte.gz", 0x801, 8, labelBytes);
        long[] ids = new long[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
            labels[i] = labelBytes[i] & 0xFF;
        }
        return new Shard(partition, ids, pixels, 784, labels);
    }

    private static void readIdx(String file, int magic, int header, byte[] into) {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                new GZIPInputStream(Files.newInputStream(SharedData.file(file)))))) {
            int m = in.readInt();
            if (m != magic) {
                throw new IllegalStateException(file + ": magic " + Integer.toHexString(m) + ", expected " + Integer.toHexString(magic));
            }
            in.skipNBytes(header - 4);
            in.readFully(into);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
