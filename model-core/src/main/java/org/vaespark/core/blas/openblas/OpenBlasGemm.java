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

    /**
     * Heap operands are copied into this thread's native staging buffers (kept and grown across calls), and only C
     * is copied back: JavaCPP's own array arguments copy all three arrays in and out on every call, which cost
     * 10-20 % of a training step's GEMM time here.
     */
    @Override
    public void sgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int aLen = (ta ? k : m) * lda - lda + (ta ? m : k);
        int bLen = (tb ? n : k) * ldb - ldb + (tb ? k : n);
        int cLen = m * ldc - ldc + n;
        Staging s = STAGING.get();
        FloatPointer pa = s.a(aLen);
        FloatPointer pb = s.b(bLen);
        FloatPointer pc = s.c(cLen);
        pa.position(0).put(a, aOff, aLen);
        pb.position(0).put(b, bOff, bLen);
        if (beta != 0f) {
            pc.position(0).put(c, cOff, cLen);
        }
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, op(ta), op(tb), m, n, k, alpha, pa.position(0), lda, pb.position(0), ldb,
                beta, pc.position(0), ldc);
        pc.position(0).get(c, cOff, cLen);
    }

    private static final ThreadLocal<Staging> STAGING = ThreadLocal.withInitial(Staging::new);

    /** One thread's native copies of GEMM operands. */
    private static final class Staging {
        private FloatPointer a;
        private FloatPointer b;
        private FloatPointer c;

        FloatPointer a(int n) {
            return a = fit(a, n);
        }

        FloatPointer b(int n) {
            return b = fit(b, n);
        }

        FloatPointer c(int n) {
            return c = fit(c, n);
        }

        private static FloatPointer fit(FloatPointer p, int n) {
            if (p != null && p.capacity() >= n) {
                return p;
            }
            if (p != null) {
                p.close();
            }
            return new FloatPointer(Math.max(n, 1024));
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
