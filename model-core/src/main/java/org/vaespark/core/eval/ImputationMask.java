package org.vaespark.core.eval;

import org.vaespark.core.model.ImageShape;
import org.vaespark.core.noise.NoiseSource;

/**
 * Which pixels of a test image are hidden for imputation ({@code eval.imputation.mask}).
 * BOTTOM_HALF: the bottom floor(H/2) rows (for flat data, H = 1, the second half of the values).
 * RANDOM: each pixel (all its channels) independently with probability {@code fraction}, a pure
 * function of (seed, example id, pixel index), so the mask does not depend on batching.
 */
public enum ImputationMask {
    BOTTOM_HALF,
    RANDOM;

    private static final long MASK_STREAM = 0x1A9EL;

    /** missing[i] for the D values of example {@code id}, pixels row-major channels-last. */
    public boolean[] missing(ImageShape image, long id, double fraction, long seed) {
        int c = image.channels();
        int pixels = image.height() * image.width();
        boolean[] out = new boolean[pixels * c];
        for (int p = 0; p < pixels; p++) {
            boolean hidden = this == RANDOM
                    ? NoiseSource.uniform(seed, MASK_STREAM, id, p) < fraction
                    : image.height() > 1 ? p / image.width() >= image.height() - image.height() / 2 : p >= pixels - pixels / 2;
            for (int ch = 0; ch < c; ch++) {
                out[p * c + ch] = hidden;
            }
        }
        return out;
    }

    /** A short description for reports, e.g. "bottom-half" or "random 50%". */
    public String describe(double fraction) {
        return this == RANDOM ? "random " + Math.round(fraction * 1000) / 10.0 + "% of pixels" : "bottom half of the rows";
    }
}
