package org.vaespark.jobs.figures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vaespark.core.train.Shard;

/** Interpolation ends: different labels where there are labels, spread out in z (farthest-point sampling) otherwise. */
class InterpolationPairsTest {
    private static final double[][] MEANS = {{0, 0}, {0.1, 0}, {5, 5}, {0, 0.2}, {-4, -4}, {1, 1}};

    @Test
    void labelledCandidatesPairDifferentLabelsInOrderOfFirstAppearance() {
        // the first candidates all show one digit, as the first test images by id do
        int[] labels = {7, 7, 7, 7, 2, 7, 9, 2, 0};
        InterpolationPairs p = InterpolationPairs.choose(labels, new double[labels.length][2], 3);
        assertTrue(p.byLabel());
        assertEquals(3, p.pairs().length);
        assertArrayEquals(new int[]{0, 4}, p.pairs()[0], "7 -> 2");
        assertArrayEquals(new int[]{6, 8}, p.pairs()[1], "9 -> 0");
        assertArrayEquals(new int[]{1, 7}, p.pairs()[2], "7 -> 2 again once every class has been used");
        for (int[] pair : p.pairs()) {
            assertTrue(labels[pair[0]] != labels[pair[1]]);
        }
    }

    @Test
    void unlabelledCandidatesAreSpreadOutInZ() {
        int[] none = new int[MEANS.length];
        java.util.Arrays.fill(none, Shard.NO_LABEL);
        InterpolationPairs p = InterpolationPairs.choose(none, MEANS, 5);
        assertFalse(p.byLabel());
        assertEquals(3, p.pairs().length, "six candidates make three pairs");
        assertArrayEquals(new int[]{2, 4}, p.pairs()[0]);
        assertArrayEquals(new int[]{3, 5}, p.pairs()[1], "then the farthest from both, (0, 0.2), and the farthest from all three, (1, 1)");
        assertArrayEquals(new int[]{1, 0}, p.pairs()[2]);
    }

    @Test
    void oneLabelOnlyFallsBackToDistance() {
        InterpolationPairs p = InterpolationPairs.choose(new int[]{3, 3, 3, 3, 3, 3}, MEANS, 1);
        assertFalse(p.byLabel());
        assertArrayEquals(new int[]{2, 4}, p.pairs()[0]);
    }
}
