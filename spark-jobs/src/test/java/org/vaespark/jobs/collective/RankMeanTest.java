package org.vaespark.jobs.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exchanges' mean against its definition, a double sum in rank order rounded to float once,
 * bit for bit, on values chosen to break a float shortcut: signed zeros, subnormals and results at
 * the edge of the normal range, sums that overflow float, exponents far apart, NaN and infinities.
 */
class RankMeanTest {

    @Test
    void everyCoordinateIsTheDoubleFormulasFloat() {
        Random random = new Random(11);
        for (int n : new int[]{1, 2, 3, 4}) {
            for (int outputs : new int[]{1, 2, 3}) {
                int block = RankMean.BLOCK;
                int width = 11 * block + 517;
                int from = 7;
                float[][] parts = new float[n][from + width];
                for (int j = 0; j < width; j++) {
                    // one kind of value per coordinate across the ranks, so edge cases meet; one edge kind per block after the
                    // first, so each kind must be handled by itself
                    int kind = j < block || random.nextInt(20) != 0 ? -1 : (j / block - 1) % 10;
                    for (int q = 0; q < n; q++) {
                        parts[q][from + j] = value(random, kind);
                    }
                }
                float[][] outs = new float[outputs][from + width];
                new RankMean().mean(parts, outs, from, from + width);
                for (int j = 0; j < width; j++) {
                    double sum = 0;
                    for (int q = 0; q < n; q++) {
                        sum += parts[q][from + j];
                    }
                    int expected = Float.floatToRawIntBits((float) (sum / n));
                    for (int o = 0; o < outputs; o++) {
                        int k = j;
                        assertEquals(expected, Float.floatToRawIntBits(outs[o][from + j]),
                                () -> n + " ranks, coordinate " + k + ": " + java.util.Arrays.toString(column(parts, from + k)));
                    }
                }
            }
        }
    }

    /** An ordinary value (kind -1) or one of the edge kinds 0..9. */
    private static float value(Random random, int kind) {
        float ordinary = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
        return switch (kind) {
            case -1 -> ordinary;
            case 0 -> -0.0f;
            case 1 -> 0.0f;
            case 2 -> Float.MIN_VALUE * (1 + random.nextInt(1000)) * (random.nextBoolean() ? 1 : -1);
            case 3 -> Math.scalb(1f + random.nextFloat(), -126) * (random.nextBoolean() ? 1 : -1);
            case 4 -> Math.scalb(1f + random.nextFloat(), -125);
            case 5 -> Float.MAX_VALUE * (0.5f + random.nextFloat() / 2);
            case 6 -> Math.scalb(1f + random.nextFloat(), 30) * ordinary;
            case 7 -> Float.NaN;
            case 8 -> Float.POSITIVE_INFINITY;
            default -> Math.scalb(ordinary, -40);
        };
    }

    private static float[] column(float[][] parts, int j) {
        float[] c = new float[parts.length];
        for (int q = 0; q < parts.length; q++) {
            c[q] = parts[q][j];
        }
        return c;
    }
}
