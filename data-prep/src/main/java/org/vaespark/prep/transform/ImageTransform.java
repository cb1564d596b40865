package org.vaespark.prep.transform;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.noise.NoiseSource;

/**
 * A per-image transform that derives one prepared dataset from another ({@code prepare.source =
 * transform}), applied in this order:
 * <ol>
 * <li>grey-scale: ITU-R BT.601 luma, {@code round(0.299 R + 0.587 G + 0.114 B)} with halves rounded up,
 * computed in integers ({@code (299 R + 587 G + 114 B + 500) / 1000}) so it is exact;
 * <li>centre crop to {@code cropHeight x cropWidth}: the window starting at row {@code (H - h) / 2}
 * and column {@code (W - w) / 2} (rounded down). Cropping keeps the source pixels (no resampling);
 * for CIFAR-10 32x32 to the 28x28 of MNIST it drops 2 pixels on every side;
 * <li>static binarization: pixel value v becomes 1 with probability v / 255, else 0, one draw per
 * pixel fixed at prepare time, a pure function of (seed, example id, pixel index) through
 * {@link NoiseSource#uniform} on its own stream. This is how the statically binarized MNIST of
 * Larochelle &amp; Murray (2011) was made, so a model trained on it sees the same kind of input.
 * Ids are positions within a split, so example n of train and of test share their uniforms (on
 * different images).
 * </ol>
 *
 * @param grey       convert 3-channel RGB to 1-channel luma
 * @param cropHeight output height, 0 = no crop
 * @param cropWidth  output width, 0 = no crop
 * @param binarize   static Bernoulli(v / 255) binarization
 * @param seed       seed of the binarization draws
 */
public record ImageTransform(boolean grey, int cropHeight, int cropWidth, boolean binarize, long seed) implements Serializable {
    public static final String GREY = "prepare.transform.grey";
    public static final String CROP = "prepare.transform.crop";
    public static final String BINARIZE = "prepare.transform.binarize";
    public static final String SEED = "prepare.transform.seed";

    /** Noise stream of the static binarization draws (distinct from training and evaluation streams). */
    public static final long BINARIZE_STREAM = 0x57A71CB1L;

    public ImageTransform {
        if (cropHeight < 0 || cropWidth < 0 || (cropHeight == 0) != (cropWidth == 0)) {
            throw Errors.badConfigValue(CROP, List.of(cropHeight, cropWidth), "[] (no crop) or [height, width] of two integers > 0, e.g. [28, 28]");
        }
    }

    /** No key set: the identity, which is not a transform. */
    public boolean identity() {
        return !grey && cropHeight == 0 && !binarize;
    }

    /** The name recorded in the manifest, e.g. {@code grey-crop-28x28-static-binarized-seed-0}. */
    public String name() {
        List<String> parts = new ArrayList<>();
        if (grey) {
            parts.add("grey");
        }
        if (cropHeight > 0) {
            parts.add("crop-" + cropHeight + "x" + cropWidth);
        }
        if (binarize) {
            parts.add("static-binarized-seed-" + seed);
        }
        return String.join("-", parts);
    }

    /** Output height for an input of height {@code h}. */
    public int height(int h) {
        return cropHeight > 0 ? cropHeight : h;
    }

    /** Output width for an input of width {@code w}. */
    public int width(int w) {
        return cropWidth > 0 ? cropWidth : w;
    }

    /** Output channels for an input of {@code c} channels. */
    public int channels(int c) {
        return grey ? 1 : c;
    }

    /**
     * Fails, naming the key, when this transform cannot apply to images of {@code h x w x c} whose
     * pixels are {@code binarized} already; {@code input} names the dataset in the message.
     */
    public void checkApplies(int h, int w, int c, boolean binarized, String input) {
        if (grey && c != 3) {
            throw Errors.badConfigValue(GREY, true, "false for " + input + ", whose images have " + c
                    + " channel(s): grey-scaling needs RGB (3 channels)");
        }
        if (cropHeight > h || cropWidth > w) {
            throw Errors.badConfigValue(CROP, List.of(cropHeight, cropWidth), "at most the input size " + h + "x" + w + " of " + input);
        }
        if (binarize && binarized) {
            throw Errors.badConfigValue(BINARIZE, true, "false for " + input + ", whose pixels are already 0/1");
        }
    }

    /** The transformed pixels of example {@code id}: {@code pixels} is {@code h x w x c} bytes, row-major, channels last. */
    public byte[] apply(long id, byte[] pixels, int h, int w, int c) {
        byte[] img = pixels;
        int channels = c;
        if (grey) {
            img = luma(img, h * w);
            channels = 1;
        }
        int outH = height(h);
        int outW = width(w);
        if (outH != h || outW != w) {
            img = centreCrop(img, h, w, channels, outH, outW);
        }
        if (binarize) {
            img = binarize(img, id);
        }
        return img;
    }

    private static byte[] luma(byte[] rgb, int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int r = rgb[3 * i] & 0xFF;
            int g = rgb[3 * i + 1] & 0xFF;
            int b = rgb[3 * i + 2] & 0xFF;
            out[i] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
        }
        return out;
    }

    private static byte[] centreCrop(byte[] img, int h, int w, int c, int outH, int outW) {
        int top = (h - outH) / 2;
        int left = (w - outW) / 2;
        byte[] out = new byte[outH * outW * c];
        for (int row = 0; row < outH; row++) {
            System.arraycopy(img, ((top + row) * w + left) * c, out, row * outW * c, outW * c);
        }
        return out;
    }

    private byte[] binarize(byte[] img, long id) {
        byte[] out = new byte[img.length];
        for (int i = 0; i < img.length; i++) {
            double p = (img[i] & 0xFF) / 255.0;
            out[i] = NoiseSource.uniform(seed, BINARIZE_STREAM, id, i) < p ? (byte) 1 : (byte) 0;
        }
        return out;
    }
}
