package org.vaespark.core.samediff;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.model.VaeConfig;

/**
 * Turns integer labels into what a conditional (CVAE, Sohn et al. 2015) or semi-supervised (M2,
 * Kingma et al. 2014) graph is fed: one-hot rows [B, classes] and the labelled mask [B]. A CVAE
 * needs every label; M2 treats {@link #NO_LABEL} as unlabelled (a zero row, mask 0).
 * Any other label outside 0..classes-1 is a data error naming the example id.
 */
public final class Labels {
    /** The label of an example that has none (M2's unlabelled examples). */
    public static final int NO_LABEL = -1;

    private Labels() {
    }

    /** True when the model of {@code c} is fed labels. */
    public static boolean needed(VaeConfig c) {
        return c.kind() == ModelKind.CVAE || c.kind() == ModelKind.M2
                || c.kind() == ModelKind.MVAE && org.vaespark.core.model.Pairing.labelColumns(c) > 0;
    }

    /**
     * One-hot rows [B, classes] of a CVAE's labels (every label required) or of M2's (a zero row where
     * unlabelled), or null for a model fed no labels; the same rows and errors as {@link #feed}. An MVAE gets its
     * evaluation feed instead ({@link org.vaespark.core.model.Pairing#feed}: every example paired).
     */
    public static float[] oneHot(VaeConfig c, long[] ids, int[] labels) {
        if (c.kind() == ModelKind.MVAE) {
            return org.vaespark.core.model.Pairing.feed(c, ids, labels, null);
        }
        if (!needed(c)) {
            return null;
        }
        int classes = c.structure().classes();
        float[] oneHot = new float[ids.length * classes];
        for (int b = 0; b < ids.length; b++) {
            int y = labels == null ? NO_LABEL : labels[b];
            if (y == NO_LABEL && c.kind() == ModelKind.M2) {
                continue;
            }
            if (y < 0 || y >= classes) {
                throw Errors.badLabel(ids[b], y, classes, c.kind().name().toLowerCase());
            }
            oneHot[b * classes + y] = 1f;
        }
        return oneHot;
    }

    /** The feed of one batch: x, eps, beta and, when the model needs them, one-hot labels and the mask. */
    public static Vae.Feed feed(VaeConfig c, INDArray x, INDArray eps, double beta, long[] ids, int[] labels) {
        if (!needed(c)) {
            return Vae.Feed.of(x, eps, beta);
        }
        int classes = c.structure().classes();
        int batch = ids.length;
        float[] oneHot = new float[batch * classes];
        float[] mask = new float[batch];
        for (int b = 0; b < batch; b++) {
            int y = labels == null ? NO_LABEL : labels[b];
            if (y == NO_LABEL && c.kind() == ModelKind.M2) {
                continue;
            }
            if (y < 0 || y >= classes) {
                throw Errors.badLabel(ids[b], y, classes, c.kind().name().toLowerCase());
            }
            oneHot[b * classes + y] = 1f;
            mask[b] = 1f;
        }
        return new Vae.Feed(x, eps, beta, Nd4j.create(oneHot, new long[]{batch, classes}, 'c'),
                Nd4j.create(mask, new long[]{batch}, 'c'));
    }
}
