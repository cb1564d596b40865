package org.vaespark.prep;

import java.util.Arrays;
import org.vaespark.core.errors.Errors;

/**
 * One image of a dataset split, as stored in a row of the Parquet layout ({@link ImageSchema}).
 *
 * <p>{@code id} is the 0-based position of the image within its split in source order;
 * {@code label} is null when the source has no labels (binarized MNIST); {@code pixels} holds
 * {@code height * width * channels} unsigned bytes, row-major with channels last. Equality
 * compares the pixel contents, not the array identity.
 */
public record ImageRecord(long id, String split, Integer label, int height, int width, int channels, byte[] pixels) {

    public ImageRecord {
        if (id < 0) {
            throw Errors.badArgument("id", "image id " + id + " is negative", "ids are 0-based positions within a split");
        }
        if (split == null || split.isEmpty()) {
            throw Errors.badArgument("split", "image " + id + " has no split name", "give every record a split such as train");
        }
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw Errors.badArgument("shape", "image " + id + " has shape " + height + "x" + width + "x" + channels,
                    "height, width and channels must all be > 0");
        }
        long expected = (long) height * width * channels;
        if (pixels == null || pixels.length != expected) {
            throw Errors.badArgument("pixels", "image " + id + " of split " + split + " has "
                    + (pixels == null ? "no" : String.valueOf(pixels.length)) + " pixel bytes, expected " + expected
                    + " (" + height + "x" + width + "x" + channels + ")", "pass height * width * channels bytes");
        }
    }

    /** Number of pixel values, {@code height * width * channels}. */
    public int size() {
        return pixels.length;
    }

    /** Pixel {@code (row, col, channel)} as an unsigned value 0..255. */
    public int pixel(int row, int col, int channel) {
        return pixels[(row * width + col) * channels + channel] & 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageRecord r && id == r.id && height == r.height && width == r.width
                && channels == r.channels && split.equals(r.split) && java.util.Objects.equals(label, r.label)
                && Arrays.equals(pixels, r.pixels);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(id, split, label, height, width, channels) * 31 + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "ImageRecord[id=" + id + ", split=" + split + ", label=" + label + ", shape=" + height + "x" + width
                + "x" + channels + ", pixelSum=" + pixelSum() + "]";
    }

    private long pixelSum() {
        long s = 0;
        for (byte b : pixels) {
            s += b & 0xFF;
        }
        return s;
    }
}
