package org.vaespark.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.train.Shard;

/**
 * The hash subset on the real static binarized MNIST test file, which is ordered in blocks: its
 * mean lit-pixel count matches the full set's within 3 standard errors, while the first 2,000 by
 * id (the old "max-examples") are far off.
 */
class ExampleSubsetTest {
    private static final int TEST_SIZE = 10_000;
    private static double[] lit;
    private static double fullMean;
    private static double fullSd;

    @BeforeAll
    static void countLitPixels() {
        Shard test = MnistRows.binarized("test", TEST_SIZE, 0);
        lit = new double[TEST_SIZE];
        for (int i = 0; i < TEST_SIZE; i++) {
            assertEquals(i, test.ids()[i]);
            for (int j = 0; j < test.dim(); j++) {
                lit[i] += test.pixels()[i * test.dim() + j];
            }
        }
        fullMean = Arrays.stream(lit).average().orElseThrow();
        fullSd = Math.sqrt(Arrays.stream(lit).map(v -> (v - fullMean) * (v - fullMean)).sum() / (TEST_SIZE - 1));
    }

    @Test
    void theSubsetIsAFairSampleOfTheBlockOrderedTestSetAndTheFirstIdsAreNot() {
        for (int n : new int[] {1000, 2000}) {
            int[] chosen = ExampleSubset.of(n).selectIndices(TEST_SIZE);
            assertEquals(n, chosen.length);
            double z = (mean(chosen) - fullMean) / (fullSd / Math.sqrt(n));
            assertTrue(Math.abs(z) < 3, "hash subset of " + n + ": mean lit pixels " + mean(chosen) + " vs full " + fullMean
                    + ", " + z + " standard errors");
        }
        int[] first = java.util.stream.IntStream.range(0, 2000).toArray();
        double z = (mean(first) - fullMean) / (fullSd / Math.sqrt(2000));
        assertTrue(Math.abs(z) > 6, "the first 2,000 by id: mean lit pixels " + mean(first) + " vs full " + fullMean
                + ", only " + z + " standard errors off");
    }

    @Test
    void theSubsetDependsOnlyOnTheIdsNotOnTheirOrderOrTheirSplitSize() {
        long[] ids = {9, 3, 7, 1, 5, 0, 8, 2, 6, 4};
        long[] sorted = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        ExampleSubset four = ExampleSubset.of(4);
        assertArrayEquals(four.select(sorted), four.select(ids));
        long[] chosen = four.select(ids);
        for (int i = 1; i < chosen.length; i++) {
            assertTrue(chosen[i - 1] < chosen[i], Arrays.toString(chosen));
        }
        long[] big = ExampleSubset.of(4).select(java.util.stream.LongStream.range(0, 10_000).toArray());
        assertTrue(Arrays.stream(big).anyMatch(id -> id >= 10), "not simply the smallest ids: " + Arrays.toString(big));
        assertArrayEquals(sorted, ExampleSubset.of(null).select(ids));
        assertArrayEquals(sorted, ExampleSubset.of(50).select(ids), "a subset larger than the split is all of it");
    }

    @Test
    void labelsSayHowManyAndHowTheyWereChosen() {
        assertEquals("all", ExampleSubset.of(null).label());
        assertEquals("hash-subset n=1000 seed=21", ExampleSubset.of(1000).label());
        assertEquals("all", ExampleSubset.of(1000).labelFor(1000));
        assertEquals("hash-subset n=1000 seed=21", ExampleSubset.of(1000).labelFor(10_000));
        assertThrows(VaeException.class, () -> ExampleSubset.of(0));
    }

    private static double mean(int[] indices) {
        return Arrays.stream(indices).mapToDouble(i -> lit[i]).average().orElseThrow();
    }
}
