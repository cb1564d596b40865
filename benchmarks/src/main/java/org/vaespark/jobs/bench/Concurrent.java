package org.vaespark.jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntToLongFunction;

/**
 * The thread layout of {@code local[n]} without Spark's round trips: {@code n} workers at once,
 * each on its own thread with one BLAS thread ({@code runtime.threads-per-task = 1}, the default),
 * as an executor runs {@code n} tasks. A figure measured this way is what a 2-core executor gives
 * a job; a single Java thread with every core as BLAS threads leaves all but one core idle during
 * the executor's non-GEMM work (activations, im2col, likelihoods).
 */
final class Concurrent implements AutoCloseable {
    private final ExecutorService pool;
    private final int workers;

    Concurrent(int workers) {
        this.workers = workers;
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "family-speed-worker");
            t.setDaemon(true);
            return t;
        });
    }

    int workers() {
        return workers;
    }

    /** Runs {@code work(i)} for every worker i at once; the units they report in all, per wall second from start to the last one's end. */
    double rate(IntToLongFunction work) {
        long t = System.nanoTime();
        return all(work) / ((System.nanoTime() - t) / 1e9);
    }

    /** Runs {@code work(i)} for every worker i at once; the sum of what they return. */
    long all(IntToLongFunction work) {
        List<Future<Long>> futures = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            int worker = i;
            futures.add(pool.submit(() -> work.applyAsLong(worker)));
        }
        long units = 0;
        try {
            for (Future<Long> f : futures) {
                units += f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the benchmark's workers ran", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return units;
    }

    /**
     * The sgemm rate of this layout: every worker's one-thread sgemm on its own {@code n} x {@code n} matrices at once,
     * GFLOP/s in all (each worker's median of {@code repeats} after one untimed call). Independent threads do not wait
     * on each other as the threads of one multi-threaded GEMM do, so a moment's interruption of one core costs this
     * reading what it costs the workers' figures, no more.
     */
    double sgemmGflops(int n, int repeats) {
        double[] perWorker = new double[workers];
        all(i -> {
            perWorker[i] = Machine.sgemmGflops(1, n, repeats);
            return 0;
        });
        return java.util.Arrays.stream(perWorker).sum();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
