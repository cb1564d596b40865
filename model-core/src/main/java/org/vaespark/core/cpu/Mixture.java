package org.vaespark.core.cpu;

import org.vaespark.core.blas.Blas;

/**
 * log p(z) of an equally weighted mixture of K diagonal Gaussians, (1/K) sum_k N(z; mu_k, diag
 * exp(logvar_k)): the mixture-of-Gaussians prior and the VampPrior (Tomczak &amp; Welling 2018, eq.
 * 9). As in the graph, all N x K component log-densities come from one GEMM of [z^2, z] [N, 2d]
 * with [exp(-logvar), -2 mu exp(-logvar)] [K, 2d], plus a per-component constant; the sum over
 * components is a max-shifted log-sum-exp. Backward: the responsibilities times the incoming
 * gradient flow into both GEMM operands (two more GEMMs) and on to z, mu and logvar.
 */
final class Mixture {
    private Mixture() {
    }

    /** z [N, d], means and logvars [K, d]: log p(z) [N, 1]. */
    static Tensor logDensity(Tape t, Tensor z, Tensor means, Tensor logvars) {
        Tape.sameShape(means, logvars);
        int n = z.rows;
        int d = z.cols;
        int k = means.rows;
        if (means.cols != d) {
            throw new IllegalArgumentException("mixture over " + means.cols + " dimensions for z of width " + d);
        }
        float[] rows = t.make(n, 2 * d, false).value;
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                float v = z.value[r * d + j];
                rows[r * 2 * d + j] = v * v;
                rows[r * 2 * d + d + j] = v;
            }
        }
        float[] precision = t.make(k, d, false).value;
        float[] cols = t.make(k, 2 * d, false).value;
        float[] constant = t.make(k, 1, false).value;
        for (int c = 0; c < k; c++) {
            float s = 0f;
            for (int j = 0; j < d; j++) {
                float m = means.value[c * d + j];
                float lv = logvars.value[c * d + j];
                float p = (float) Math.exp(-lv);
                float scaled = m * p;
                precision[c * d + j] = p;
                cols[c * 2 * d + j] = p;
                cols[c * 2 * d + d + j] = scaled * -2f;
                s += scaled * m + lv;
            }
            constant[c] = s;
        }
        float[] logN = t.make(n, k, false).value;
        Blas.sgemm(false, true, n, k, 2 * d, 1f, rows, 0, 2 * d, cols, 0, 2 * d, 0f, logN, 0, k);
        float offset = (float) (d * Densities.HALF_LOG_2PI);
        Tensor out = t.make(n, 1, z.tracked || means.tracked || logvars.tracked);
        double logK = Math.log(k);
        for (int r = 0; r < n; r++) {
            int o = r * k;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                float v = (logN[o + c] + constant[c]) * -0.5f - offset;
                logN[o + c] = v;
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(logN[o + c] - max);
            }
            out.value[r] = (float) (Math.log(sum) + max - logK);
        }
        t.onBackward(out, () -> backward(t, z, means, logvars, out, rows, cols, precision, logN));
        return out;
    }

    private static void backward(Tape t, Tensor z, Tensor means, Tensor logvars, Tensor out, float[] rows, float[] cols,
                                 float[] precision, float[] logN) {
        int n = z.rows;
        int d = z.cols;
        int k = means.rows;
        double logK = Math.log(k);
        // dQuadratic[n, k] = -1/2 * responsibility * upstream; dConstant[k] = sum_n of it.
        float[] dq = t.make(n, k, false).value;
        float[] dConstant = t.make(k, 1, false).value;
        java.util.Arrays.fill(dConstant, 0f);
        for (int r = 0; r < n; r++) {
            float g = out.grad[r];
            double lse = out.value[r] + logK;
            for (int c = 0; c < k; c++) {
                float v = (float) (-0.5 * g * Math.exp(logN[r * k + c] - lse));
                dq[r * k + c] = v;
                dConstant[c] += v;
            }
        }
        if (z.tracked) {
            float[] dRows = t.make(n, 2 * d, false).value;
            Blas.sgemm(false, false, n, 2 * d, k, 1f, dq, 0, k, cols, 0, 2 * d, 0f, dRows, 0, 2 * d);
            float[] dz = z.grad();
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < d; j++) {
                    dz[r * d + j] += dRows[r * 2 * d + j] * 2f * z.value[r * d + j] + dRows[r * 2 * d + d + j];
                }
            }
        }
        if (means.tracked || logvars.tracked) {
            float[] dCols = t.make(k, 2 * d, false).value;
            Blas.sgemm(true, false, k, 2 * d, n, 1f, dq, 0, k, rows, 0, 2 * d, 0f, dCols, 0, 2 * d);
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    int at = c * d + j;
                    float m = means.value[at];
                    float p = precision[at];
                    float dc = dConstant[c];
                    // cols = [p, -2 m p], constant = sum (m^2 p + logvar)
                    float dp = dCols[c * 2 * d + j] + dCols[c * 2 * d + d + j] * -2f * m + dc * m * m;
                    float dm = dCols[c * 2 * d + d + j] * -2f * p + dc * 2f * m * p;
                    if (means.tracked) {
                        means.grad()[at] += dm;
                    }
                    if (logvars.tracked) {
                        logvars.grad()[at] += dc - dp * p;
                    }
                }
            }
        }
    }
}
