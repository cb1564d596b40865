package org.vaespark.jobs.collective;

/**
 * The arithmetic of every {@link Exchange}: the mean of one slice of the ranks' vectors, each
 * coordinate summed in double precision in rank order 0..n−1 from 0, divided by n and rounded to
 * float once, as {@code AveragingSum} does on the driver. Works in blocks that stay in cache.
 *
 * <p>For two ranks the block is first computed in float, {@code (a + b) * 0.5f}, which vectorises
 * and gives the same bits wherever its result is a finite normal float: the float sum of two floats
 * is the correctly rounded exact sum, as is the float rounding of their double sum (exact, or off by
 * far less than half a float ulp when the exponents are more than 29 apart), and halving commutes
 * with rounding in the normal range. A block holding a zero, subnormal, infinite or NaN mean is
 * recomputed in double, so signed zeros and gradual underflow come out as the double formula's.
 */
final class RankMean {
    static final int BLOCK = 4096;
    private final double[] sums = new double[BLOCK];

    /**
     * Writes the mean of {@code parts[q][j]} over q into {@code outs[o][j]} for every o, for j in
     * [from, to). One index for every array: C2 vectorises the loop only then.
     */
    void mean(float[][] parts, float[][] outs, int from, int to) {
        for (int lo = from; lo < to; lo += BLOCK) {
            int hi = Math.min(to, lo + BLOCK);
            // the float pair fills the first and last output; otherwise only the first holds the mean
            boolean paired = parts.length == 2 && pair(parts[0], parts[1], outs[0], outs[outs.length - 1], lo, hi);
            if (!paired) {
                inDouble(parts, outs[0], lo, hi);
            }
            for (int o = 1; o < outs.length - (paired ? 1 : 0); o++) {
                System.arraycopy(outs[0], lo, outs[o], lo, hi - lo);
            }
        }
    }

    /** The two-rank mean in float into {@code first} and {@code last}; false when the block needs the double formula. */
    private static boolean pair(float[] a, float[] b, float[] first, float[] last, int from, int to) {
        float smallest = Float.POSITIVE_INFINITY;
        float largest = 0f;
        for (int j = from; j < to; j++) {
            float m = (a[j] + b[j]) * 0.5f;
            first[j] = m;
            last[j] = m;
            float size = Math.abs(m);
            smallest = Math.min(smallest, size);
            largest = Math.max(largest, size);
        }
        return smallest >= Float.MIN_NORMAL && largest <= Float.MAX_VALUE;
    }

    private void inDouble(float[][] parts, float[] out, int from, int to) {
        int n = parts.length;
        java.util.Arrays.fill(sums, 0, to - from, 0.0);
        for (float[] part : parts) {
            for (int j = from; j < to; j++) {
                sums[j - from] += part[j];
            }
        }
        for (int j = from; j < to; j++) {
            out[j] = (float) (sums[j - from] / n);
        }
    }
}
