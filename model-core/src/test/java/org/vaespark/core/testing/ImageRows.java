package org.vaespark.core.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;
import org.vaespark.core.train.Shard;

/**
 * Real 8-bit image rows for model tests, read straight from the shared files (model-core does not
 * depend on data-prep, whose readers are the production ones): raw MNIST grey levels from the IDX
 * file, and CIFAR-10 binary records converted to channels-last (pixel (r, c), channel ch at
 * (r * 32 + c) * 3 + ch).
 */
public final class ImageRows {
    private ImageRows() {
    }

    /** The first {@code n} MNIST training images, grey levels 0..255, 784 per row. */
    public static Shard greyMnist(int n) {
        byte[] pixels = new byte[n * 784];
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(
                Files.newInputStream(SharedData.file("mnist/train-images-idx3-ubyte.gz"))))) {
            if (in.readInt() != 0x00000803) {
                throw new IllegalStateException("not an IDX image file");
            }
            in.readInt();
            if (in.readInt() != 28 || in.readInt() != 28) {
                throw new IllegalStateException("MNIST images are not 28x28");
            }
            in.readFully(pixels);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Shard(0, ids(n), pixels, 784);
    }

    /** The first {@code n} records of the CIFAR-10 training subset, 32x32x3 channels-last. */
    public static Shard cifar10(int n) {
        int plane = 1024;
        byte[] pixels = new byte[n * 3 * plane];
        byte[] record = new byte[1 + 3 * plane];
        try (InputStream in = Files.newInputStream(SharedData.file("cifar10/train_subset_10k_class_sorted.bin"))) {
            DataInputStream data = new DataInputStream(in);
            for (int i = 0; i < n; i++) {
                data.readFully(record);
                for (int p = 0; p < plane; p++) {
                    for (int ch = 0; ch < 3; ch++) {
                        pixels[i * 3 * plane + p * 3 + ch] = record[1 + ch * plane + p];
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Shard(0, ids(n), pixels, 3 * plane);
    }

    private static long[] ids(int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return ids;
    }
}
