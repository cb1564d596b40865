package org.vaespark.core.train;

import java.util.Collection;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees the off-heap buffers of per-step arrays as soon as they are used. Left to the garbage
 * collector, they are freed only when the small Java wrappers are collected, which with a
 * large heap is rarely: native memory grew to gigabytes and the kernel spent a sixth of the
 * CPU zeroing fresh pages (measured with perf on the training benchmark).
 */
public final class NativeMemory {
    private NativeMemory() {
    }

    public static void release(INDArray... arrays) {
        for (INDArray a : arrays) {
            close(a);
        }
    }

    public static void release(Collection<INDArray> arrays) {
        for (INDArray a : arrays) {
            close(a);
        }
    }

    private static void close(INDArray a) {
        if (a != null && a.closeable()) {
            a.close();
        }
    }
}
