package org.vaespark.core.train;

import org.vaespark.core.kernel.PixelKernels;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.noise.NoiseSource;

/**
 * The one place where 8-bit pixels become model inputs (bits/dim depends on it).
 * Static: pixels are already 0/1 and are used as they are. Dynamic: each pixel is a Bernoulli
 * draw with p = v / 255, a pure function of (seed, draw, example id, pixel index), so a retried
 * task redraws the same image. None: v / 255 in [0, 1]. Dequantize: (v + u) / 256 with
 * u ~ U(0, 1) drawn the same way, the uniform dequantization that bits/dim of a continuous
 * density assumes ({@link org.vaespark.core.eval.BitsPerDim}).
 */
public final class PixelEncoding {
    private static final long BINARIZE_STREAM = 0xB1AL;
    private static final long DEQUANTIZE_STREAM = 0xDE9L;

    private PixelEncoding() {
    }

    /**
     * Writes example {@code row} of {@code pixels} (D bytes each) as floats into
     * {@code out[outRow * D ...]}.
     *
     * @param draw which dynamic binarization draw (the epoch in training; a fixed value in evaluation)
     */
    public static void encode(byte[] pixels, int row, int dim, long id, Binarization b, long seed, long draw,
                              float[] out, int outRow) {
        int src = row * dim;
        int dst = outRow * dim;
        switch (b) {
            case STATIC -> PixelKernels.binary(pixels, src, out, dst, dim);
            case DYNAMIC -> {
                long stream = BINARIZE_STREAM + 31 * draw;
                for (int i = 0; i < dim; i++) {
                    double p = (pixels[src + i] & 0xFF) / 255.0;
                    out[dst + i] = NoiseSource.uniform(seed, stream, id, i) < p ? 1f : 0f;
                }
            }
            case NONE -> {
                for (int i = 0; i < dim; i++) {
                    out[dst + i] = (pixels[src + i] & 0xFF) / 255f;
                }
            }
            case DEQUANTIZE -> {
                long stream = DEQUANTIZE_STREAM + 31 * draw;
                for (int i = 0; i < dim; i++) {
                    out[dst + i] = (float) (((pixels[src + i] & 0xFF) + NoiseSource.uniform(seed, stream, id, i)) / 256.0);
                }
            }
        }
    }

    /** Checks that a static-binarization dataset really holds only 0/1 pixels; returns the first bad index or -1. */
    public static int firstNonBinary(byte[] pixels) {
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i] != 0 && pixels[i] != 1) {
                return i;
            }
        }
        return -1;
    }
}
