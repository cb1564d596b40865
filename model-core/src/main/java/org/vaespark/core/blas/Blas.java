package org.vaespark.core.blas;

import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The one seam through which the CPU executor reaches BLAS: single-precision GEMM on row-major
 * heap arrays. JavaCPP pins (or copies) the arrays for the call; a GEMM of a training step does
 * O(m n k) work on O(m k + k n + m n) values, so the copy is a small share.
 */
public final class Blas {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private Blas() {
    }

    /**
     * Row-major C = alpha op(A) op(B) + beta C on sub-blocks given by offsets and leading dimensions.
     *
     * @param ta whether A is read transposed
     * @param tb whether B is read transposed
     */
    public static void sgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (aOff == 0 && bOff == 0 && cOff == 0) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k,
                    alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        try (org.bytedeco.javacpp.FloatPointer pa = new org.bytedeco.javacpp.FloatPointer(a);
             org.bytedeco.javacpp.FloatPointer pb = new org.bytedeco.javacpp.FloatPointer(b);
             org.bytedeco.javacpp.FloatPointer pc = new org.bytedeco.javacpp.FloatPointer(c)) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k,
                    alpha, pa.position(aOff), lda, pb.position(bOff), ldb, beta, pc.position(cOff), ldc);
            pc.position(0).get(c);
        }
    }
}
