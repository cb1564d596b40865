package org.vaespark.core.train;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The labelled subset of semi-supervised training ({@code train.labelled-per-class}): the first N
 * examples of each class by id keep their labels, every other label is hidden
 * ({@link Shard#NO_LABEL}). Deterministic and independent of read order or partitioning, so a
 * Spark job (which ranks by id within each label) and a local run select the same examples.
 */
public final class LabelledSubset {
    private LabelledSubset() {
    }

    /**
     * @param perClass N, or null to keep every label
     * @return the labels with all but the first {@code perClass} ids of each class hidden
     */
    public static int[] select(long[] ids, int[] labels, Integer perClass) {
        if (perClass == null) {
            return labels.clone();
        }
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
        Map<Integer, Integer> kept = new HashMap<>();
        int[] out = new int[labels.length];
        Arrays.fill(out, Shard.NO_LABEL);
        for (int i : order) {
            int y = labels[i];
            if (y == Shard.NO_LABEL) {
                continue;
            }
            int n = kept.getOrDefault(y, 0);
            if (n < perClass) {
                out[i] = y;
                kept.put(y, n + 1);
            }
        }
        return out;
    }

    /** The shard with all but the first {@code perClass} ids of each class unlabelled (the whole training set in one shard). */
    public static Shard apply(Shard s, Integer perClass) {
        return perClass == null ? s : s.withLabels(select(s.ids(), s.labels(), perClass));
    }
}
