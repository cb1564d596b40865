package org.vaespark.core.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;

/**
 * The BLAS seam on the default (CPU) build: the OpenBLAS binding is found, and both GEMM variants
 * agree with a plain triple loop on sub-blocks given by offsets, leading dimensions and transposes.
 */
class BlasTest {
    @Test
    void cpuBuildHasBlas() {
        assertTrue(Blas.cpuBackend());
        assertTrue(Blas.available(), Blas.unavailableReason());
        assertNull(Blas.unavailableReason());
    }

    @Test
    void heapGemmMatchesLoopsOnOffsetTransposedBlocks() {
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                check(ta, tb);
            }
        }
    }

    @Test
    void pointerGemmMatchesHeapGemm() {
        int m = 5;
        int n = 7;
        int k = 3;
        float[] a = random(m * k, 1);
        float[] b = random(k * n, 2);
        float[] expected = new float[m * n];
        Blas.sgemm(false, true, m, n, k, 1f, a, 0, k, transpose(b, k, n), 0, k, 0f, expected, 0, n);
        try (FloatPointer pa = new FloatPointer(a); FloatPointer pb = new FloatPointer(b); FloatPointer pc = new FloatPointer(m * n)) {
            Blas.sgemm(false, false, m, n, k, 1f, pa, k, pb, n, 0f, pc, n);
            float[] actual = new float[m * n];
            pc.get(actual);
            assertArrayEquals(expected, actual, 1e-5f);
        }
    }

    private static void check(boolean ta, boolean tb) {
        int m = 4;
        int n = 6;
        int k = 5;
        int lda = (ta ? m : k) + 2;
        int ldb = (tb ? k : n) + 1;
        int ldc = n + 3;
        int aOff = 3;
        int bOff = 2;
        int cOff = 1;
        float[] a = random(aOff + (ta ? k : m) * lda, 3);
        float[] b = random(bOff + (tb ? n : k) * ldb, 4);
        float[] c = random(cOff + m * ldc, 5);
        float alpha = 0.75f;
        float beta = -0.5f;
        float[] expected = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    float x = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float y = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += x * y;
                }
                int at = cOff + i * ldc + j;
                expected[at] = (float) (alpha * sum + beta * c[at]);
            }
        }
        Blas.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        for (int i = 0; i < c.length; i++) {
            assertEquals(expected[i], c[i], 1e-5f, "ta=" + ta + " tb=" + tb + " at " + i);
        }
    }

    private static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    private static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }
}
