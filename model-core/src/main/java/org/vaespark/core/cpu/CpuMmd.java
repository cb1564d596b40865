package org.vaespark.core.cpu;

import org.vaespark.core.model.MmdKernel;

/**
 * The biased (V-statistic) squared MMD between posterior samples a [n, d] and prior samples b
 * [m, d] (Gretton et al. 2012, eq. 5; InfoVAE, Zhao et al. 2019), diagonal terms included, with
 * the Gaussian kernel exp(-r / C) or the inverse multiquadric C / (C + r), r = |x - y|^2, C = 2 d s^2.
 * Only a receives a gradient (b is noise).
 */
final class CpuMmd {
    private CpuMmd() {
    }

    static Tensor biased(Tape t, Tensor a, Tensor b, MmdKernel kernel, double scale) {
        int d = a.cols;
        double c = 2.0 * d * scale * scale;
        Tensor out = t.make(1, 1, a.tracked);
        double aa = mean(a, a, kernel, c);
        double bb = mean(b, b, kernel, c);
        double ab = mean(a, b, kernel, c);
        out.value[0] = (float) (aa + bb - 2 * ab);
        t.onBackward(out, () -> {
            float g = out.grad[0];
            float[] da = a.grad();
            accumulate(da, a, a, kernel, c, 2.0 * g / ((double) a.rows * a.rows));
            accumulate(da, a, b, kernel, c, -2.0 * g / ((double) a.rows * b.rows));
        });
        return out;
    }

    private static double mean(Tensor x, Tensor y, MmdKernel kernel, double c) {
        double s = 0;
        for (int i = 0; i < x.rows; i++) {
            for (int j = 0; j < y.rows; j++) {
                s += k(distance(x, i, y, j), kernel, c);
            }
        }
        return s / ((double) x.rows * y.rows);
    }

    /** da_i += w * sum_j k'(r_ij) 2 (a_i - y_j). */
    private static void accumulate(float[] da, Tensor a, Tensor y, MmdKernel kernel, double c, double w) {
        int d = a.cols;
        for (int i = 0; i < a.rows; i++) {
            for (int j = 0; j < y.rows; j++) {
                double r = distance(a, i, y, j);
                double kv = k(r, kernel, c);
                double slope = kernel == MmdKernel.GAUSSIAN ? -kv / c : -kv * kv / c;
                for (int q = 0; q < d; q++) {
                    da[i * d + q] += (float) (w * slope * 2 * (a.value[i * d + q] - y.value[j * d + q]));
                }
            }
        }
    }

    private static double distance(Tensor x, int i, Tensor y, int j) {
        double s = 0;
        for (int q = 0; q < x.cols; q++) {
            double v = x.value[i * x.cols + q] - y.value[j * y.cols + q];
            s += v * v;
        }
        return s;
    }

    private static double k(double r, MmdKernel kernel, double c) {
        return kernel == MmdKernel.GAUSSIAN ? Math.exp(-r / c) : 1.0 / (1.0 + r / c);
    }
}
