package org.vaespark.core.model;

import org.vaespark.core.errors.Errors;

/**
 * What a multimodal VAE (Wu &amp; Goodman 2018) is fed beside the image, one row per example: the one-hot label
 * (image-label only) and which of the two modalities the example holds. At evaluation every example is paired; in
 * training a fraction {@code model.multimodal.unpaired-fraction} keeps one modality only (the unpaired setting),
 * chosen as a pure function of the training seed and the example id, so the choice does not depend on batching,
 * partitioning or the epoch.
 */
public final class Pairing {
    private Pairing() {
    }

    /** Columns of a feed row: the classes (image-label) then two presence flags. */
    public static int width(VaeConfig c) {
        return labelColumns(c) + 2;
    }

    /** The one-hot label's columns of a feed row (0 with halves). */
    public static int labelColumns(VaeConfig c) {
        return c.structure().multimodal().modalities() == Modalities.IMAGE_LABEL ? c.structure().classes() : 0;
    }

    /**
     * The feed [B, width] of a batch.
     *
     * @param labels       the label of each example (image-label needs every one), or null for halves
     * @param trainingSeed the training seed, which picks the unpaired examples; null at evaluation (all paired)
     */
    public static float[] feed(VaeConfig c, long[] ids, int[] labels, Long trainingSeed) {
        int k = labelColumns(c);
        int w = k + 2;
        double fraction = c.structure().multimodal().unpairedFraction();
        float[] out = new float[ids.length * w];
        for (int b = 0; b < ids.length; b++) {
            if (k > 0) {
                int y = labels == null ? -1 : labels[b];
                if (y < 0 || y >= k) {
                    throw Errors.badLabel(ids[b], y, k, "mvae (model.multimodal.modalities = image-label)");
                }
                out[b * w + y] = 1f;
            }
            int kept = trainingSeed == null ? -1 : keptModality(trainingSeed, ids[b], fraction);
            out[b * w + k] = kept == 1 ? 0f : 1f;
            out[b * w + k + 1] = kept == 0 ? 0f : 1f;
        }
        return out;
    }

    /**
     * The one modality (0 or 1) example {@code id} keeps in training, or -1 when it keeps both: it is unpaired when
     * u(seed, id) &lt; fraction, u uniform in [0, 1) from a SplitMix64 hash, and keeps the modality of the hash's next bit.
     */
    public static int keptModality(long seed, long id, double fraction) {
        long h = mix(mix(seed ^ 0x6d56414550414952L) + id);
        double u = (h >>> 11) * 0x1.0p-53;
        if (u >= fraction) {
            return -1;
        }
        return (int) (mix(h) & 1L);
    }

    private static long mix(long z) {
        z += 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
