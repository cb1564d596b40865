package org.vaespark.core.train;

import org.vaespark.core.noise.NoiseSource;

/**
 * Which examples a partition uses at each of its local steps. Step t of partition p falls in
 * the partition's epoch e = t / stepsPerEpoch; epoch e visits the partition's examples in a
 * permutation seeded by (seed, p, e) (Fisher-Yates). A pure function of (seed, partition,
 * step): a retried Spark task, or a resumed run, takes exactly the same batches. Each thread keeps
 * the last permutation it drew, so the short rounds of parameter averaging, each with a new
 * schedule, draw a partition's permutation once per epoch rather than once per round.
 */
public final class BatchSchedule {
    private final long seed;
    private final int partition;
    private final int size;
    private final int batchSize;
    private static final ThreadLocal<Drawn> LAST = new ThreadLocal<>();

    public BatchSchedule(long seed, int partition, int size, int batchSize) {
        if (size <= 0) {
            throw new IllegalArgumentException("partition " + partition + " holds no examples; use fewer partitions");
        }
        this.seed = seed;
        this.partition = partition;
        this.size = size;
        this.batchSize = batchSize;
    }

    /** Steps in one pass over this partition (the last batch may be smaller). */
    public int stepsPerEpoch() {
        return (size + batchSize - 1) / batchSize;
    }

    /** The partition-local epoch of step t. */
    public long epochOf(long step) {
        return step / stepsPerEpoch();
    }

    /** Row indices (into the shard) of the minibatch at step t. */
    public int[] batch(long step) {
        long epoch = epochOf(step);
        int within = (int) (step % stepsPerEpoch());
        int[] perm = permutation(epoch);
        int from = within * batchSize;
        int to = Math.min(from + batchSize, size);
        return java.util.Arrays.copyOfRange(perm, from, to);
    }

    private int[] permutation(long epoch) {
        Drawn last = LAST.get();
        if (last != null && last.seed == seed && last.partition == partition && last.size == size && last.epoch == epoch) {
            return last.permutation;
        }
        int[] perm = new int[size];
        for (int i = 0; i < size; i++) {
            perm[i] = i;
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(NoiseSource.derive(seed, 0xBA7C, partition, epoch));
        for (int i = size - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        LAST.set(new Drawn(seed, partition, size, epoch, perm));
        return perm;
    }

    /** A permutation and what it was drawn for; never modified once drawn. */
    private record Drawn(long seed, int partition, int size, long epoch, int[] permutation) {
    }
}
