package org.vaespark.jobs.figures;

import com.typesafe.config.Config;
import java.io.Serializable;
import org.vaespark.core.config.Keys;

/**
 * Settings of the pictures ({@code figures.*}).
 *
 * @param grid                  samples from the prior: a grid x grid picture
 * @param reconstructions       test images shown beside their reconstructions
 * @param interpolationPairs    pairs of test images interpolated between (one row each)
 * @param interpolationSteps    images per interpolation row, both ends included
 * @param pseudoInputs          VampPrior pseudo-inputs shown (at most the model's K)
 * @param seed                  seed of the prior draws (and of a dynamic binarization of the test images shown)
 */
public record FigureConfig(int grid, int reconstructions, int interpolationPairs, int interpolationSteps, int pseudoInputs,
                           long seed) implements Serializable {

    public static FigureConfig from(Config c) {
        return new FigureConfig(Keys.positiveInt(c, "figures.grid"), Keys.positiveInt(c, "figures.reconstructions"),
                Keys.positiveInt(c, "figures.interpolation.pairs"), interpolationSteps(c),
                Keys.positiveInt(c, "figures.pseudo-inputs"), Keys.longValue(c, "figures.seed"));
    }

    private static int interpolationSteps(Config c) {
        int steps = Keys.positiveInt(c, "figures.interpolation.steps");
        if (steps < 2) {
            throw org.vaespark.core.errors.Errors.badConfigValue("figures.interpolation.steps", steps,
                    "an integer >= 2 (both ends are included)");
        }
        return steps;
    }
}
