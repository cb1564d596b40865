package org.vaespark.core.eval;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import org.vaespark.core.errors.Errors;

/**
 * Which examples of a split a partial evaluation uses: the {@code size} ids with the smallest
 * seeded hash, a fixed pseudo-random sample. The seed is one constant, so every model, job and
 * batch takes the same subset and paired comparisons between models stay paired.
 *
 * <p>It replaces "the first N by id": the static binarized MNIST test file (Larochelle & Murray
 * 2011) is ordered in blocks (ids 1000–1999 have about half the lit pixels of the rest), so a
 * first-N figure estimates a different distribution from the full test set's. A hash sample is a
 * uniform sample without replacement, whose mean estimates the full set's within its standard error.
 *
 * @param size the number of examples to take; null = the whole split
 */
public record ExampleSubset(Integer size) implements Serializable {
    /** The one seed of every subset, so subsets agree across models and runs. */
    public static final long SEED = 21;
    /** The label of an evaluation over the whole split. */
    public static final String ALL = "all";

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    public ExampleSubset {
        if (size != null && size <= 0) {
            throw Errors.badArgument("size", "a subset of " + size + " examples", "null (the whole split) or an integer > 0");
        }
    }

    /** The subset a {@code *.max-examples} setting asks for: null = the whole split. */
    public static ExampleSubset of(Integer maxExamples) {
        return new ExampleSubset(maxExamples);
    }

    public boolean isAll() {
        return size == null;
    }

    /** The setting as results and evaluation keys record it: {@code all} or {@code hash-subset n=1000 seed=21}. */
    public String label() {
        return isAll() ? ALL : "hash-subset n=" + size + " seed=" + SEED;
    }

    /** The label of the examples actually taken from a split of {@code available} examples ({@code all} when that is every one). */
    public String labelFor(long available) {
        return isAll() || size >= available ? ALL : label();
    }

    /** The example's place in the sample order: SplitMix64's finalizer (Steele et al. 2014) of the seeded id. */
    public static long rank(long id) {
        long z = mix(SEED * GOLDEN) + id * GOLDEN;
        return mix(z);
    }

    /** The ids of {@code ids} (any order, no duplicates) that belong to the subset, ascending. */
    public long[] select(long[] ids) {
        if (isAll() || size >= ids.length) {
            long[] all = ids.clone();
            Arrays.sort(all);
            return all;
        }
        Long[] boxed = Arrays.stream(ids).boxed().toArray(Long[]::new);
        Arrays.sort(boxed, Comparator.<Long>comparingLong(i -> rank(i) ^ Long.MIN_VALUE).thenComparingLong(i -> i));
        long[] chosen = new long[size];
        for (int i = 0; i < size; i++) {
            chosen[i] = boxed[i];
        }
        Arrays.sort(chosen);
        return chosen;
    }

    /** The first {@code size} indices 0..count-1 in subset order: for lists whose index is the id. */
    public int[] selectIndices(int count) {
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = i;
        }
        return Arrays.stream(select(ids)).mapToInt(Math::toIntExact).toArray();
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
