package org.vaespark.core.train;

import org.vaespark.core.kernel.DenseLayout;
import org.vaespark.core.kernel.DenseVae;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeConfig;

/**
 * What the dense path ({@link DenseSteps}) allocates for a model: the network's flat native
 * parameter, gradient and activation buffers ({@link DenseVae}: the ELBO gradient of Kingma &amp;
 * Welling 2014) and the vector holding Adam's moments (Kingma &amp; Ba 2015) next to a copy of the parameters. A parameter-averaging
 * round builds a new trainer every few steps, so each thread keeps the last model's workspace and
 * hands it to its next round of the same model: a round then allocates nothing. The contents are
 * overwritten by every round (parameters and moments loaded, every gradient written each step), so
 * reuse cannot change a result. A thread that opens a second round while one is open gets a fresh,
 * uncached workspace.
 */
final class DenseWorkspace {
    private static final ThreadLocal<DenseWorkspace> LAST = new ThreadLocal<>();
    final DenseVae net;
    /** The replica's state as one vector {@code [parameters | m | v]} ({@link FlatState#of}): Adam's moments live in it. */
    final float[] state;
    private final boolean cached;
    private boolean inUse;

    private final int threads;

    private DenseWorkspace(VaeConfig config, ParameterLayout layout, int threads, boolean cached) {
        DenseLayout flat = new DenseLayout(layout);
        this.net = DenseVae.forThreads(config, flat, threads);
        this.threads = threads;
        this.state = new float[3 * flat.total()];
        this.cached = cached;
    }

    /** This thread's workspace for {@code config} on {@code threads} cores ({@link DenseVae#forThreads}), built on first use; {@link #release} it after the round. */
    static DenseWorkspace acquire(VaeConfig config, ParameterLayout layout, int threads) {
        DenseWorkspace last = LAST.get();
        if (last != null && last.inUse) {
            return new DenseWorkspace(config, layout, threads, false);
        }
        if (last == null || !last.net.config().equals(config) || last.threads != threads) {
            if (last != null) {
                last.net.close();
            }
            last = new DenseWorkspace(config, layout, threads, true);
            LAST.set(last);
        }
        last.inUse = true;
        return last;
    }

    /** Ends the round: a cached workspace waits for the thread's next round, an uncached one is freed. */
    void release() {
        inUse = false;
        if (!cached) {
            net.close();
        }
    }
}
