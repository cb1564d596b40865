package org.vaespark.core.blas.openblas;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.vaespark.core.blas.Gemm;

/**
 * {@link Gemm} through OpenBLAS's cblas_sgemm (the library nd4j-native links). Compiled only by the
 * default build: the -Pcuda build excludes this package, as its classpath has no OpenBLAS. JavaCPP
 * pins (or copies) heap arrays for the call; a GEMM does O(m n k) work on O(m k + k n + m n)
 * values, so the copy is a small share.
 */
public final class OpenBlasGemm implements Gemm {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    /** Loads the OpenBLAS natives now, so a missing library shows at lookup, not at the first GEMM. */
    public OpenBlasGemm() {
        Loader.load(openblas_nolapack.class);
    }

    @Override
    public void sgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (aOff == 0 && bOff == 0 && cOff == 0) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, op(ta), op(tb), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        try (FloatPointer pa = new FloatPointer(a); FloatPointer pb = new FloatPointer(b); FloatPointer pc = new FloatPointer(c)) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, op(ta), op(tb), m, n, k,
                    alpha, pa.position(aOff), lda, pb.position(bOff), ldb, beta, pc.position(cOff), ldc);
            pc.position(0).get(c);
        }
    }

    @Override
    public void sgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, FloatPointer a, int lda,
                      FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, op(ta), op(tb), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static int op(boolean transpose) {
        return transpose ? TRANS : NO_TRANS;
    }
}
