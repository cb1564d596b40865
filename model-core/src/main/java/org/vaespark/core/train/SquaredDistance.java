package org.vaespark.core.train;

/**
 * The squared L2 distance of two parameter sequences, the one definition behind
 * {@link UpdateGuard#updateNorm} whatever layout holds the parameters: element k of the sequence
 * (counted over all parameters in order) adds its squared difference, in double precision, to partial
 * sum k mod 4, and the distance is ((s0 + s1) + s2) + s3. Four independent sums run about four times
 * faster than one chain of dependent additions, and every layout that feeds the same sequence, in
 * pieces of any length, gets the same bits. A non-finite value of the second sequence ends the sum.
 */
final class SquaredDistance {
    private double s0;
    private double s1;
    private double s2;
    private double s3;
    private long index;
    private double nonFinite = Double.NaN;
    private boolean finite = true;

    /** Adds elements [at, at + n) of {@code after} against {@code before}; false once a non-finite value of {@code after} came. */
    boolean add(float[] before, float[] after, int at, int n) {
        int j = 0;
        for (; j < n && (index & 3) != 0; j++) {
            if (!one(before[at + j], after[at + j])) {
                return false;
            }
        }
        double p0 = s0;
        double p1 = s1;
        double p2 = s2;
        double p3 = s3;
        int end = at + n;
        int i = at + j;
        for (; i + 4 <= end; i += 4) {
            float a0 = after[i];
            float a1 = after[i + 1];
            float a2 = after[i + 2];
            float a3 = after[i + 3];
            if (!(Float.isFinite(a0) && Float.isFinite(a1) && Float.isFinite(a2) && Float.isFinite(a3))) {
                break;
            }
            double d0 = (double) a0 - before[i];
            double d1 = (double) a1 - before[i + 1];
            double d2 = (double) a2 - before[i + 2];
            double d3 = (double) a3 - before[i + 3];
            p0 += d0 * d0;
            p1 += d1 * d1;
            p2 += d2 * d2;
            p3 += d3 * d3;
        }
        s0 = p0;
        s1 = p1;
        s2 = p2;
        s3 = p3;
        index += i - (at + j);
        for (; i < end; i++) {
            if (!one(before[i], after[i])) {
                return false;
            }
        }
        return true;
    }

    private boolean one(float before, float after) {
        if (!Float.isFinite(after)) {
            finite = false;
            nonFinite = Float.isNaN(after) ? Double.NaN : Double.POSITIVE_INFINITY;
            return false;
        }
        double d = (double) after - before;
        switch ((int) (index & 3)) {
            case 0 -> s0 += d * d;
            case 1 -> s1 += d * d;
            case 2 -> s2 += d * d;
            default -> s3 += d * d;
        }
        index++;
        return true;
    }

    /** The L2 distance: NaN or infinite when a non-finite value came (NaN for a NaN, infinite for an infinity). */
    double norm() {
        return finite ? Math.sqrt(((s0 + s1) + s2) + s3) : nonFinite;
    }
}
