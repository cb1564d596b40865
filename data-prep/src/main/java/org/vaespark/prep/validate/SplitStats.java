package org.vaespark.prep.validate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What one pass over a split's rows finds: count, id range and sums (to check that ids are
 * exactly 0..n-1), and the first few rows whose shape or pixel values break the manifest.
 */
final class SplitStats implements Serializable {
    private static final int EXAMPLES = 5;

    long count;
    long minId = Long.MAX_VALUE;
    long maxId = Long.MIN_VALUE;
    long idSum;
    long idSquareSum;
    long badRows;
    final List<String> examples = new ArrayList<>();

    void addId(long id) {
        count++;
        minId = Math.min(minId, id);
        maxId = Math.max(maxId, id);
        idSum += id;
        idSquareSum += id * id;
    }

    void bad(String what) {
        badRows++;
        if (examples.size() < EXAMPLES) {
            examples.add(what);
        }
    }

    SplitStats merge(SplitStats o) {
        count += o.count;
        minId = Math.min(minId, o.minId);
        maxId = Math.max(maxId, o.maxId);
        idSum += o.idSum;
        idSquareSum += o.idSquareSum;
        badRows += o.badRows;
        for (String e : o.examples) {
            if (examples.size() < EXAMPLES) {
                examples.add(e);
            }
        }
        return this;
    }

    /** True when the ids are a permutation of 0..count-1 (count, range, sum and sum of squares all match). */
    boolean idsAreZeroToCountMinusOne() {
        long n = count;
        return n == 0 || (minId == 0 && maxId == n - 1 && idSum == n * (n - 1) / 2 && idSquareSum == (n - 1) * n * (2 * n - 1) / 6);
    }
}
