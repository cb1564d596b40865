package org.vaespark.core.train;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Sizes ND4J's OpenMP pool and OpenBLAS to the cores a task owns. Spark runs several tasks
 * per executor, each of which would otherwise start a pool as large as the machine:
 * oversubscription halved throughput when the stack was chosen.
 */
public final class NativeThreads {
    private static volatile int configured = -1;
    private static int narrowed;

    private NativeThreads() {
    }

    /** Sets the thread count once per JVM (later calls with the same value are free). */
    public static synchronized void configure(int threads) {
        if (configured == threads) {
            return;
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        configured = threads;
    }

    /**
     * Sets BLAS to {@code blas} threads while a caller runs its own threads around single-threaded
     * GEMMs (kernel/DenseVae#forThreads); each call is paired with {@link #restoreBlas}, and BLAS
     * returns to the configured count when the last such caller is done.
     */
    public static synchronized void narrowBlas(int blas) {
        narrowed++;
        Nd4j.factory().blas().setMaxThreads(blas);
    }

    /** Ends a {@link #narrowBlas}. */
    public static synchronized void restoreBlas() {
        if (--narrowed == 0) {
            Nd4j.factory().blas().setMaxThreads(threads());
        }
    }

    /** The thread count set by {@link #configure}, or ND4J's own when it was never called. */
    public static int threads() {
        int t = configured;
        return t > 0 ? t : Math.max(1, Nd4j.getEnvironment().maxThreads());
    }
}
