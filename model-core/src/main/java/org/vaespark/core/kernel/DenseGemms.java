package org.vaespark.core.kernel;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaespark.core.blas.Blas;

/**
 * The matrix products of a dense step (Kingma &amp; Welling 2014, App. C: each layer's forward
 * product, and in backward its weight gradient X^T dY and input gradient dY W^T), either one after
 * the other on the calling thread ({@link #sequential}, each GEMM threaded by BLAS) or as two tasks at
 * once ({@link #concurrent}, each GEMM on one BLAS thread): backward runs a layer's two independent
 * gradients side by side, and a product with nothing beside it is split into two column halves.
 * Every GEMM keeps all rows of the minibatch.
 */
final class DenseGemms implements AutoCloseable {
    private final TaskPair pair;
    private final boolean split;

    private DenseGemms(TaskPair pair, boolean split) {
        this.pair = pair;
        this.split = split;
    }

    static DenseGemms sequential() {
        return new DenseGemms(null, false);
    }

    /**
     * Backward's independent pairs at once; the other products one after the other or, with
     * {@code split}, as two column halves at once. Needs BLAS at one thread. Without {@code split}
     * every GEMM is the one the sequential path computes at one BLAS thread, so the floats are the
     * same; column halves round differently (the BLAS kernel blocks shift with the width).
     */
    static DenseGemms concurrent(boolean split) {
        return new DenseGemms(new TaskPair(), split);
    }

    /** The pair the GEMMs run on, or null when they run one after the other. */
    TaskPair pair() {
        return pair;
    }

    boolean isConcurrent() {
        return pair != null;
    }

    /** c = a b, [m, k] x [k, n]. */
    void forward(INDArray a, INDArray b, INDArray c) {
        if (!split) {
            DenseVae.gemm(a, b, c, false, false);
            return;
        }
        int m = (int) a.rows();
        int k = (int) a.columns();
        int n = (int) b.columns();
        int half = n / 2;
        pair.run(() -> sgemm(false, false, m, n - half, k, a, 0, k, b, half, n, c, half, n),
                () -> sgemm(false, false, m, half, k, a, 0, k, b, 0, n, c, 0, n));
    }

    /**
     * dW = in^T d and, unless {@code dIn} is null, dIn = d w^T (w [k, n], in [m, k], d [m, n]).
     * Sequential: in that order, as before.
     */
    void backward(INDArray in, INDArray d, INDArray w, INDArray dW, INDArray dIn) {
        if (pair == null) {
            DenseVae.gemm(in, d, dW, true, false);
            if (dIn != null) {
                DenseVae.gemm(d, w, dIn, false, true);
            }
            return;
        }
        if (dIn == null && !split) {
            DenseVae.gemm(in, d, dW, true, false);
            return;
        }
        if (dIn != null) {
            pair.run(() -> gemm(d, w, dIn, false, true), () -> gemm(in, d, dW, true, false));
        } else {
            int m = (int) in.rows();
            int k = (int) in.columns();
            int n = (int) d.columns();
            int half = n / 2;
            pair.run(() -> sgemm(true, false, k, n - half, m, in, 0, k, d, half, n, dW, half, n),
                    () -> sgemm(true, false, k, half, m, in, 0, k, d, 0, n, dW, 0, n));
        }
    }

    /** Row-major C[.., cFrom..] = op(A) op(B) on sub-blocks given by float offsets and leading dimensions. */
    static void sgemm(boolean ta, boolean tb, int m, int n, int k, INDArray a, long aFrom, int lda,
                      INDArray b, long bFrom, int ldb, INDArray c, long cFrom, int ldc) {
        try (FloatPointer pa = pointer(a, aFrom); FloatPointer pb = pointer(b, bFrom); FloatPointer pc = pointer(c, cFrom)) {
            Blas.sgemm(ta, tb, m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, ldc);
        }
    }

    private static FloatPointer pointer(INDArray a, long from) {
        if (a.elementWiseStride() != 1 || a.ordering() != 'c') {
            throw new IllegalArgumentException("a GEMM operand must be a contiguous row-major matrix");
        }
        FloatPointer p = new FloatPointer(a.data().addressPointer());
        return p.position(p.position() + from);
    }

    /**
     * c = op(a) op(b) on whole row-major matrices, straight through {@link Blas} (cblas_sgemm): ND4J's gemm spent
     * 13-39 us per call before BLAS started (0.7-3 us this way), against 30-100 us for the small
     * GEMMs of a step.
     */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean ta, boolean tb) {
        int m = (int) c.rows();
        int n = (int) c.columns();
        int k = (int) (ta ? a.rows() : a.columns());
        sgemm(ta, tb, m, n, k, a, 0, (int) a.columns(), b, 0, (int) b.columns(), c, 0, n);
    }

    @Override
    public void close() {
        if (pair != null) {
            pair.close();
        }
    }
}
