package org.vaespark.jobs.collective;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Exchange} of tasks that all run in one JVM (Spark local mode, or one executor holding
 * every partition): the tasks publish their vectors and result buffers in shared memory, each sums
 * its slice of every coordinate over the ranks in order and writes the mean straight into every
 * task's result buffer, and a barrier separates the two phases. No bytes are sent; the result is
 * bit for bit that of {@link MeanExchange}.
 */
public final class LocalExchange implements Exchange {
    private static final ConcurrentHashMap<String, Group> GROUPS = new ConcurrentHashMap<>();

    private final String id;
    private final Group group;
    private final int rank;
    private final int timeoutMs;
    private final String timeoutKey;
    private final RankMean sum = new RankMean();

    private static final class Group {
        final float[][] vectors;
        final float[][] results;
        final double[][] scalars;
        final int length;
        final CyclicBarrier barrier;

        Group(int n, int length) {
            vectors = new float[n][];
            results = new float[n][];
            scalars = new double[n][];
            this.length = length;
            barrier = new CyclicBarrier(n);
        }
    }

    private LocalExchange(String id, Group group, int rank, int timeoutMs, String timeoutKey) {
        this.id = id;
        this.group = group;
        this.rank = rank;
        this.timeoutMs = timeoutMs;
        this.timeoutKey = timeoutKey;
    }

    /** Rank {@code rank} of the n tasks of collective {@code id} (unique per stage attempt), vectors of {@code length}. */
    public static LocalExchange join(String id, int rank, int n, int length, int timeoutMs, String timeoutKey) {
        Group g = GROUPS.computeIfAbsent(id, k -> new Group(n, length));
        if (g.vectors.length != n || g.length != length) {
            throw new IllegalStateException("collective " + id + " has " + g.vectors.length + " tasks of " + g.length
                    + " values, rank " + rank + " expected " + n + " of " + length);
        }
        return new LocalExchange(id, g, rank, timeoutMs, timeoutKey);
    }

    @Override
    public Mean mean(float[] mine, double[] myScalars, float[] into) {
        int n = group.vectors.length;
        int length = group.length;
        if (mine.length != length || into.length != length || mine == into) {
            throw new IllegalArgumentException("expected two distinct arrays of " + length + " values, got " + mine.length + " and " + into.length);
        }
        group.vectors[rank] = mine;
        group.results[rank] = into;
        group.scalars[rank] = myScalars.clone();
        await();
        double[][] all = new double[n][];
        for (int q = 0; q < n; q++) {
            all[q] = group.scalars[q].clone();
        }
        int lo = (int) ((long) rank * length / n);
        int hi = (int) ((long) (rank + 1) * length / n);
        sum.mean(group.vectors, group.results, lo, hi);
        await();
        return new Mean(into, all);
    }

    private void await() {
        try {
            group.barrier.await(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("rank " + rank + " of the averaging exchange: a task did not hand in its share within "
                    + timeoutMs / 1000 + " s (" + timeoutKey + "); Spark retries the stage", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("rank " + rank + " of the averaging exchange: another task of the stage failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("rank " + rank + " of the averaging exchange was interrupted", e);
        }
    }

    /** Leaves the collective; a task that leaves early breaks the barrier for the others, which then fail too. */
    @Override
    public void close() {
        GROUPS.remove(id, group);
        if (group.barrier.getNumberWaiting() > 0) {
            group.barrier.reset();
        }
    }
}
