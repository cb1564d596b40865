package org.vaespark.core.blas;

import org.bytedeco.javacpp.FloatPointer;

/**
 * Row-major single-precision GEMM, C = alpha op(A) op(B) + beta C, as one BLAS library provides it.
 * The executors never name a library: they call {@link Blas}, which finds the implementation at run
 * time. Only the default (CPU) build compiles one ({@code openblas.OpenBlasGemm}); the -Pcuda build
 * has none, and the dense paths fall back to the SameDiff graph.
 */
public interface Gemm {
    /** On heap arrays; operands start at the given offsets and are laid out with the given leading dimensions. */
    void sgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

    /** On native memory (ND4J buffers); each pointer's position marks where its operand starts. */
    void sgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, FloatPointer a, int lda,
               FloatPointer b, int ldb, float beta, FloatPointer c, int ldc);
}
