package org.vaespark.core.testing;

import java.util.List;
import org.vaespark.core.config.Settings;

/**
 * Every model variant of the family as a small configuration: the list the same test battery
 * (model-core's ModelFamilyTest, spark-jobs' Spark smoke test) runs over. Each variant is the
 * reference small settings ({@link TestConfigs#small}) plus a few overrides.
 *
 * @param name      short name for test reports
 * @param overrides settings overrides (HOCON key=value)
 * @param data      which real rows the variant trains on
 */
public record Variant(String name, List<String> overrides, Data data) {

    /** The real rows a variant needs. */
    public enum Data {
        /** Statically binarized MNIST (Larochelle &amp; Murray 2011), 784 binary pixels, no labels. */
        BINARY_MNIST,
        /** Raw MNIST grey levels 0..255 (LeCun IDX), 28x28x1; variants need data.binarization=none. */
        GREY_MNIST,
        /** CIFAR-10 training subset, 32x32x3 channels-last, levels 0..255; variants need data.binarization=none. */
        CIFAR10,
        /** Raw MNIST grey levels with their labels (LeCun et al. 1998); the variant's data.binarization encodes them. */
        LABELLED_MNIST,
        /**
         * Seeded uniformly random 8-bit levels on a small 8x8x3 image, channels-last: every level including the
         * edge bins 0 and 255 occurs, and no image structure helps; variants need data.binarization=none.
         */
        RANDOM_RGB
    }

    public Settings settings() {
        return TestConfigs.small(overrides.toArray(new String[0]));
    }

    @Override
    public String toString() {
        return name;
    }
}
