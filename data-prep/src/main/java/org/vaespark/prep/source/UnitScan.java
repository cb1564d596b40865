package org.vaespark.prep.source;

import java.io.Serializable;
import java.util.List;

/**
 * What the first parallel pass learns about one {@link InputUnit}: its parts (image counts and
 * shape per file or archive entry) and the size and SHA-256 of the raw file. For an image shard
 * {@code fileBytes} is the total size of its images and {@code imageDigests} their SHA-256 digests
 * (32 bytes each, in id order), from which the driver hashes the whole split folder.
 */
record UnitScan(List<Part> parts, String fileName, long fileBytes, String fileSha256, byte[] imageDigests)
        implements Serializable {

    /** One file or archive entry: {@code count} images of shape height x width x channels. */
    record Part(String split, String name, long count, int height, int width, int channels) implements Serializable {
        String shape() {
            return height + "x" + width + "x" + channels;
        }
    }
}
