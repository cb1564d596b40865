package org.vaespark.core.model;

/**
 * The two modalities of a multimodal VAE ({@code model.multimodal.modalities}, Wu &amp; Goodman 2018), in the order
 * {@code model.multimodal.weights} gives their weights.
 */
public enum Modalities {
    /** Modality 0: the image (every value of an example); modality 1: its class label (the dataset's label column). */
    IMAGE_LABEL,
    /** Modality 0: the top half of the image (its first H/2 rows); modality 1: the bottom half (the other rows). */
    HALVES;

    /** The names of the two modalities, in order, for messages and metric names. */
    public String[] names() {
        return this == IMAGE_LABEL ? new String[]{"image", "label"} : new String[]{"top", "bottom"};
    }
}
