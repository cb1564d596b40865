package org.vaespark.core.kernel;

import java.util.concurrent.locks.LockSupport;

/**
 * Two independent tasks at once: one on a persistent helper thread, one on the caller's. The
 * handoff spins before it parks, since the tasks of a dense step (one GEMM each, about a tenth of a
 * millisecond to a millisecond) are too short for a thread start or an executor's queue.
 */
final class TaskPair implements AutoCloseable {
    private static final int SPINS = 1 << 15;
    private final Thread helper;
    private volatile Runnable task;
    private volatile boolean done = true;
    private volatile boolean closed;
    private volatile Thread waiter;
    private volatile Throwable failure;

    TaskPair() {
        helper = new Thread(this::serve, "dense-gemm");
        helper.setDaemon(true);
        helper.start();
    }

    /** Runs {@code onHelper} on the helper thread and {@code onCaller} on this one; returns when both are done. */
    void run(Runnable onHelper, Runnable onCaller) {
        waiter = Thread.currentThread();
        done = false;
        task = onHelper;
        LockSupport.unpark(helper);
        try {
            onCaller.run();
        } finally {
            for (int spins = 0; !done; spins++) {
                if (spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }
        Throwable f = failure;
        if (f != null) {
            failure = null;
            throw new IllegalStateException("a concurrent GEMM failed", f);
        }
    }

    private void serve() {
        int idle = 0;
        while (!closed) {
            Runnable t = task;
            if (t == null) {
                if (++idle < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
                continue;
            }
            idle = 0;
            task = null;
            try {
                t.run();
            } catch (Throwable e) {
                failure = e;
            }
            done = true;
            LockSupport.unpark(waiter);
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(helper);
    }
}
