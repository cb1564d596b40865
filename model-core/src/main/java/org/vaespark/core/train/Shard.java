package org.vaespark.core.train;

import java.io.Serializable;

/**
 * The examples of one data partition, held as compact bytes: ids and row-major uint8 pixels
 * (D per example), sorted by id so a partition's content does not depend on read order.
 */
public record Shard(int partition, long[] ids, byte[] pixels, int dim) implements Serializable {

    public Shard {
        if ((long) ids.length * dim != pixels.length) {
            throw new IllegalArgumentException("shard " + partition + ": " + ids.length + " ids x " + dim
                    + " pixels needs " + (long) ids.length * dim + " bytes, got " + pixels.length);
        }
    }

    public int size() {
        return ids.length;
    }

    /** Builds a shard from unsorted (id, pixels) pairs, sorting by id. */
    public static Shard of(int partition, long[] ids, byte[][] rows, int dim) {
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
        long[] sortedIds = new long[ids.length];
        byte[] pixels = new byte[ids.length * dim];
        for (int i = 0; i < order.length; i++) {
            sortedIds[i] = ids[order[i]];
            byte[] row = rows[order[i]];
            if (row.length != dim) {
                throw new IllegalArgumentException("example " + ids[order[i]] + " has " + row.length + " pixels, expected " + dim);
            }
            System.arraycopy(row, 0, pixels, i * dim, dim);
        }
        return new Shard(partition, sortedIds, pixels, dim);
    }
}
