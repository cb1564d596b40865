package org.vaespark.core.train;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.vaespark.core.samediff.Labels;

/**
 * The examples of one data partition, held as compact bytes: ids, row-major uint8 pixels
 * (D per example) and labels ({@link #NO_LABEL} where the example has none or its label is
 * hidden), sorted by id so a partition's content does not depend on read order.
 */
public record Shard(int partition, long[] ids, byte[] pixels, int dim, int[] labels) implements Serializable {
    /** The label of an example without one (missing in the dataset, or hidden for semi-supervised training). */
    public static final int NO_LABEL = Labels.NO_LABEL;

    public Shard {
        if ((long) ids.length * dim != pixels.length) {
            throw new IllegalArgumentException("shard " + partition + ": " + ids.length + " ids x " + dim
                    + " pixels needs " + (long) ids.length * dim + " bytes, got " + pixels.length);
        }
        if (labels.length != ids.length) {
            throw new IllegalArgumentException("shard " + partition + ": " + ids.length + " ids but " + labels.length + " labels");
        }
    }

    /** A shard without labels. */
    public Shard(int partition, long[] ids, byte[] pixels, int dim) {
        this(partition, ids, pixels, dim, unlabelled(ids.length));
    }

    public int size() {
        return ids.length;
    }

    /** True when at least one example has a label. */
    public boolean hasLabels() {
        for (int l : labels) {
            if (l != NO_LABEL) {
                return true;
            }
        }
        return false;
    }

    /**
     * The examples whose ids are {@code keep} (ids of this shard, in id order, e.g. an {@code ExampleSubset}'s
     * selection); this shard when that is all of them.
     */
    public Shard subset(long[] keep) {
        if (keep.length == ids.length) {
            return this;
        }
        Map<Long, Integer> row = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            row.put(ids[i], i);
        }
        byte[] px = new byte[keep.length * dim];
        int[] lab = new int[keep.length];
        for (int i = 0; i < keep.length; i++) {
            int from = row.get(keep[i]);
            System.arraycopy(pixels, from * dim, px, i * dim, dim);
            lab[i] = labels[from];
        }
        return new Shard(partition, keep, px, dim, lab);
    }

    /** The same examples with other labels (e.g. some hidden by {@link LabelledSubset}). */
    public Shard withLabels(int[] newLabels) {
        return new Shard(partition, ids, pixels, dim, newLabels);
    }

    /** Builds a shard from unsorted (id, pixels) pairs without labels, sorting by id. */
    public static Shard of(int partition, long[] ids, byte[][] rows, int dim) {
        return of(partition, ids, rows, unlabelled(ids.length), dim);
    }

    /**
     * Builds a shard from unsorted (id, pixels, label) triples, sorting by id.
     *
     * @param labels the label of each row, {@link #NO_LABEL} where there is none
     */
    public static Shard of(int partition, long[] ids, byte[][] rows, int[] labels, int dim) {
        if (labels.length != ids.length) {
            throw new IllegalArgumentException("shard " + partition + ": " + ids.length + " ids but " + labels.length + " labels");
        }
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
        long[] sortedIds = new long[ids.length];
        int[] sortedLabels = new int[ids.length];
        byte[] pixels = new byte[ids.length * dim];
        for (int i = 0; i < order.length; i++) {
            sortedIds[i] = ids[order[i]];
            sortedLabels[i] = labels[order[i]];
            byte[] row = rows[order[i]];
            if (row.length != dim) {
                throw new IllegalArgumentException("example " + ids[order[i]] + " has " + row.length + " pixels, expected " + dim);
            }
            System.arraycopy(row, 0, pixels, i * dim, dim);
        }
        return new Shard(partition, sortedIds, pixels, dim, sortedLabels);
    }

    private static int[] unlabelled(int n) {
        int[] labels = new int[n];
        Arrays.fill(labels, NO_LABEL);
        return labels;
    }
}
