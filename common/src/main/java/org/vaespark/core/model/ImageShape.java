package org.vaespark.core.model;

import java.io.Serializable;
import org.vaespark.core.errors.Errors;

/**
 * Height, width and channels of one example, pixels stored row-major with channels last (the
 * dataset layout of {@code ImageSchema}). Convolutional and PixelCNN networks need it; MLPs only
 * use {@link #dimension()}.
 */
public record ImageShape(int height, int width, int channels) implements Serializable {

    public ImageShape {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw Errors.badConfigValue("image shape (from the dataset)", height + "x" + width + "x" + channels,
                    "a dataset whose images have height, width and channels > 0");
        }
    }

    /** A shape for flat vectors of {@code dimension} values (no spatial structure known). */
    public static ImageShape flat(int dimension) {
        return new ImageShape(1, dimension, 1);
    }

    /** D = height x width x channels. */
    public int dimension() {
        return height * width * channels;
    }
}
