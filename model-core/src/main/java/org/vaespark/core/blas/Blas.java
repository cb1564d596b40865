package org.vaespark.core.blas;

import java.util.Locale;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one seam through which the CPU executor and the dense kernels reach BLAS: row-major
 * single-precision GEMM on heap arrays or on ND4J's native buffers. The implementation is found at
 * run time ({@link #PROVIDER}, compiled only by the default build) and only on ND4J's CPU backend:
 * under CUDA the arrays live on the device and the classpath holds no CPU BLAS, so
 * {@link #available} is false and the callers take the SameDiff graph instead.
 */
public final class Blas {
    /** The OpenBLAS implementation; the -Pcuda build leaves it out. */
    static final String PROVIDER = "org.vaespark.core.blas.openblas.OpenBlasGemm";

    private Blas() {
    }

    /** Whether ND4J runs on its CPU backend (nd4j-native), the one whose buffers a CPU BLAS can read. */
    public static boolean cpuBackend() {
        return backendName().toLowerCase(Locale.ROOT).contains("cpu");
    }

    /** Whether {@link #sgemm} can run here. */
    public static boolean available() {
        return Lookup.GEMM != null;
    }

    /** Why {@link #sgemm} cannot run here, or null when it can. */
    public static String unavailableReason() {
        return Lookup.REASON;
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
        gemm().sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** As {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)} on native memory; each pointer's position marks its operand's start. */
    public static void sgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, FloatPointer a, int lda,
                             FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        gemm().sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static Gemm gemm() {
        Gemm g = Lookup.GEMM;
        if (g == null) {
            throw new IllegalStateException("no BLAS for the dense path: " + Lookup.REASON);
        }
        return g;
    }

    private static String backendName() {
        return Nd4j.getBackend().getClass().getName();
    }

    /** Looked up once, on first use. */
    private static final class Lookup {
        static final Gemm GEMM;
        static final String REASON;

        static {
            Gemm gemm = null;
            String reason;
            if (!cpuBackend()) {
                String backend = backendName();
                String lower = backend.toLowerCase(Locale.ROOT);
                String label = lower.contains("cublas") || lower.contains("cuda") ? "CUDA" : backend;
                reason = "no CPU BLAS on this ND4J backend (" + label + ")";
            } else {
                try {
                    gemm = (Gemm) Class.forName(PROVIDER).getDeclaredConstructor().newInstance();
                    reason = null;
                } catch (ClassNotFoundException e) {
                    reason = "this build has no CPU BLAS (" + PROVIDER + " is left out of -Pcuda builds)";
                } catch (ReflectiveOperationException | LinkageError e) {
                    reason = "OpenBLAS did not load: " + e;
                }
            }
            GEMM = gemm;
            REASON = reason;
        }
    }
}
