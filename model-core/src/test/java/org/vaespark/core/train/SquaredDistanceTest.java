package org.vaespark.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The update norm's sum: its definition (four partial sums by position), whatever pieces the sequence comes in. */
class SquaredDistanceTest {

    @Test
    void anyCutOfTheSequenceGivesTheDefinitionsBits() {
        Random random = new Random(3);
        int n = 10_007;
        float[] before = new float[n];
        float[] after = new float[n];
        for (int i = 0; i < n; i++) {
            before[i] = (float) random.nextGaussian();
            after[i] = before[i] + (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 5));
        }
        double[] partial = new double[4];
        for (int i = 0; i < n; i++) {
            double d = (double) after[i] - before[i];
            partial[i % 4] += d * d;
        }
        double expected = Math.sqrt(((partial[0] + partial[1]) + partial[2]) + partial[3]);
        for (int piece : new int[]{1, 3, 4, 40, 301, n}) {
            SquaredDistance sum = new SquaredDistance();
            for (int at = 0; at < n; at += piece) {
                assertTrue(sum.add(before, after, at, Math.min(piece, n - at)));
            }
            assertEquals(expected, sum.norm(), 0.0, "pieces of " + piece);
        }
    }

    @Test
    void theFirstNonFiniteValueDecidesTheNorm() {
        float[] before = new float[9];
        float[] after = new float[9];
        after[6] = Float.POSITIVE_INFINITY;
        after[7] = Float.NaN;
        SquaredDistance sum = new SquaredDistance();
        assertTrue(!sum.add(before, after, 0, 9));
        assertEquals(Double.POSITIVE_INFINITY, sum.norm());
        after[5] = Float.NaN;
        SquaredDistance other = new SquaredDistance();
        other.add(before, after, 0, 9);
        assertTrue(Double.isNaN(other.norm()));
    }
}
