package org.vaespark.core.kernel;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1, bias-corrected) on the flat parameter and gradient
 * buffers of the dense path ({@link DenseLayout}), the same floats as train/Adam: one vectorised
 * pass ({@link TrainKernels#adam}), split into contiguous ranges over at most {@code threads}
 * threads (the caller's and threads - 1 helpers), the count the BLAS calls of a step also use. The
 * helpers come from one daemon pool shared by the JVM, so constructing an optimizer costs nothing;
 * an optimizer {@link #on} a network that runs its GEMMs in pairs splits its update over that pair
 * instead. Every split gives the same floats: the update is elementwise.
 */
public final class DenseAdam implements AutoCloseable {
    private static final int ALIGN = 64;
    private static final ExecutorService HELPERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dense-adam");
        t.setDaemon(true);
        return t;
    });
    private double lr;
    private final float beta1;
    private final float beta2;
    private final double epsilon;
    private final float[] m;
    private final int mAt;
    private final float[] v;
    private final int vAt;
    private final int n;
    private final int threads;
    /** The network's GEMM pair that runs the update's two halves, or null to use the shared pool. */
    private final TaskPair pair;
    private long step;

    /**
     * @param m, v   first and second moments, flat ({@link DenseLayout#flatten}); updated in place
     * @param step   steps taken so far (t of the next update is step + 1)
     */
    public DenseAdam(double lr, double beta1, double beta2, double epsilon, float[] m, float[] v, long step, int threads) {
        this(lr, beta1, beta2, epsilon, m, 0, v, 0, m.length, step, threads);
    }

    /**
     * An optimizer of {@code n} parameters whose moments are m[mAt, mAt + n) and v[vAt, vAt + n), e.g.
     * two parts of one vector that also holds the parameters.
     */
    public DenseAdam(double lr, double beta1, double beta2, double epsilon, float[] m, int mAt, float[] v, int vAt, int n, long step,
                     int threads) {
        this(lr, beta1, beta2, epsilon, m, mAt, v, vAt, n, step, threads, null);
    }

    private DenseAdam(double lr, double beta1, double beta2, double epsilon, float[] m, int mAt, float[] v, int vAt, int n, long step,
                      int threads, TaskPair pair) {
        this.lr = lr;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = epsilon;
        this.m = m;
        this.mAt = mAt;
        this.v = v;
        this.vAt = vAt;
        this.n = n;
        this.step = step;
        this.threads = Math.max(1, threads);
        this.pair = this.threads == 2 ? pair : null;
    }

    /**
     * This optimizer, continuing from its step, with its two halves run on {@code net}'s GEMM pair
     * when the network has one and this optimizer splits in two: the pair's helper spins between
     * GEMMs, so a pool thread beside it would make three threads on two cores, and handing work to
     * a parked pool thread is slower than to the spinning helper (the reference model's update alone:
     * median 0.64 ms through the pool, 0.53 ms on the pair).
     */
    public DenseAdam on(DenseVae net) {
        return new DenseAdam(lr, beta1, beta2, epsilon, m, mAt, v, vAt, n, step, threads, net.pair());
    }

    /** Sets the step size of the following updates (a learning-rate schedule, {@code TrainConfig#learningRateAt}). */
    public void learningRate(double rate) {
        this.lr = rate;
    }

    /** One update of every parameter from its gradient. */
    public void update(ByteBuffer params, ByteBuffer grads) {
        update(params, grads, m, mAt, v, vAt);
    }

    /**
     * One update that reads the moments from {@code source} (m at {@code sourceMAt}, v at
     * {@code sourceVAt}) and writes the new ones to this optimizer's: the first step after loading a
     * state, without copying its moments first.
     */
    public void updateFrom(ByteBuffer params, ByteBuffer grads, float[] source, int sourceMAt, int sourceVAt) {
        update(params, grads, source, sourceMAt, source, sourceVAt);
    }

    private void update(ByteBuffer params, ByteBuffer grads, float[] mIn, int mInAt, float[] vIn, int vInAt) {
        step++;
        TrainKernels.AdamStep s = TrainKernels.AdamStep.of(lr, beta1, beta2, epsilon, step);
        Range range = (from, to) -> TrainKernels.adam(params, grads, mIn, mInAt, vIn, vInAt, m, mAt, v, vAt, from, to, s);
        int parts = Math.max(1, Math.min(threads, n / (4 * ALIGN)));
        int chunk = ((n + parts - 1) / parts + ALIGN - 1) / ALIGN * ALIGN;
        if (parts == 1) {
            range.run(0, n);
        } else if (pair != null) {
            int half = Math.min(n, chunk);
            pair.run(() -> range.run(half, n), () -> range.run(0, half));
        } else {
            List<Future<?>> pending = new ArrayList<>();
            for (int t = 1; t < parts; t++) {
                int from = Math.min(n, t * chunk);
                int to = Math.min(n, from + chunk);
                pending.add(HELPERS.submit(() -> range.run(from, to)));
            }
            range.run(0, Math.min(n, chunk));
            await(pending);
        }
    }

    /** The update of elements [from, to). */
    @FunctionalInterface
    private interface Range {
        void run(int from, int to);
    }

    private static void await(List<Future<?>> pending) {
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted in an Adam update", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("Adam update failed", e.getCause());
            }
        }
    }

    /** The array holding the first moments (from the offset it was given). */
    public float[] m() {
        return m;
    }

    /** The array holding the second moments (from the offset it was given). */
    public float[] v() {
        return v;
    }

    public long step() {
        return step;
    }

    /** Nothing to release: the helper threads are shared. */
    @Override
    public void close() {
    }
}
