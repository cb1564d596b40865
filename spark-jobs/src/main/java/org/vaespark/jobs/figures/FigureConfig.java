package org.vaespark.jobs.figures;

import com.typesafe.config.Config;
import java.io.Serializable;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;

/**
 * Settings of the pictures ({@code figures.*}).
 *
 * @param grid                    samples from the prior: a grid x grid picture
 * @param reconstructions         test images shown beside their reconstructions
 * @param interpolationPairs      pairs of test images interpolated between (one row each)
 * @param interpolationSteps      images per interpolation row, both ends included
 * @param interpolationCandidates test images the pairs are chosen from (different labels, else far apart in z)
 * @param pseudoInputs            VampPrior pseudo-inputs shown (at most the model's K)
 * @param tilePixels              height or width an image is scaled up to, by a whole factor (never down)
 * @param seed                    seed of the prior draws, of the test images shown (a seeded sample) and of their
 *                                dynamic binarization
 */
public record FigureConfig(int grid, int reconstructions, int interpolationPairs, int interpolationSteps,
                           int interpolationCandidates, int pseudoInputs, int tilePixels, long seed) implements Serializable {

    public FigureConfig {
        if (interpolationSteps < 2) {
            throw Errors.badConfigValue("figures.interpolation.steps", interpolationSteps, "an integer >= 2 (both ends are included)");
        }
        if (interpolationCandidates < 2 * interpolationPairs) {
            throw Errors.badConfigValue("figures.interpolation.candidates", interpolationCandidates,
                    "an integer >= 2 x figures.interpolation.pairs = " + 2 * interpolationPairs + " (each pair takes two candidates)");
        }
    }

    public static FigureConfig from(Config c) {
        return new FigureConfig(Keys.positiveInt(c, "figures.grid"), Keys.positiveInt(c, "figures.reconstructions"),
                Keys.positiveInt(c, "figures.interpolation.pairs"), Keys.positiveInt(c, "figures.interpolation.steps"),
                Keys.positiveInt(c, "figures.interpolation.candidates"), Keys.positiveInt(c, "figures.pseudo-inputs"),
                Keys.positiveInt(c, "figures.tile-pixels"), Keys.longValue(c, "figures.seed"));
    }

    /** The whole factor an image of {@code height} x {@code width} is scaled up by: tilePixels / max(height, width), at least 1. */
    public int scale(int height, int width) {
        return Math.max(1, tilePixels / Math.max(height, width));
    }
}
