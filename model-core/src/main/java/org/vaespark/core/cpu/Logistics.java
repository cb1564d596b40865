package org.vaespark.core.cpu;

import org.vaespark.core.model.likelihood.LogisticBins;

/**
 * The discretized logistic likelihoods on the CPU executor, with the graph's output layouts
 * ({@code LogisticLikelihood}, {@code LogisticMixtureLikelihood}): the mass of an 8-bit level
 * under a logistic (Kingma et al. 2016; Salimans et al. 2017, PixelCNN++), with x' = 2x - 1,
 * a = (x' - mu + 1/255) / s, b = (x' - mu - 1/255) / s:
 * log P = [v &lt; 255] log sigma(a) - [v &gt; 0] softplus(b) + [0 &lt; v &lt; 255] log(1 - e^{-(a - b)}),
 * log-scales clamped below at -7. Each pass computes the value and, for backward, its derivatives
 * by mean and log-scale in closed form.
 */
final class Logistics {
    private static final double LOW_EDGE = 0.5 / 255;
    private static final double HIGH_EDGE = 254.5 / 255;

    private Logistics() {
    }

    /** log P of the level of x in [0, 1]; d[0] = d/d mean, d[1] = d/d (unclamped) log-scale. */
    static double logMass(double x, double mean, double logScale, double[] d) {
        boolean lowest = x <= LOW_EDGE;
        boolean notHighest = x < HIGH_EDGE;
        boolean clamped = !(logScale > LogisticBins.MIN_LOG_SCALE);
        double ls = clamped ? LogisticBins.MIN_LOG_SCALE : logScale;
        double inv = Math.exp(-ls);
        double centred = 2 * x - 1 - mean;
        double half = inv * LogisticBins.HALF_BIN;
        double a = centred * inv + half;
        double b = centred * inv - half;
        double value = 0;
        double da = 0;
        double db = 0;
        double dHalf = 0;
        if (notHighest) {
            value += a - softplus(a);
            da = sigmoid(-a);
        }
        if (!lowest) {
            value -= softplus(b);
            db = -sigmoid(b);
        }
        if (notHighest && !lowest) {
            value += Math.log(-Math.expm1(-2 * half));
            dHalf = 2 / Math.expm1(2 * half);
        }
        d[0] = -(da + db) * inv;
        // d/d inv of a, b and half: centred + 1/255, centred - 1/255, 1/255; d inv / d ls = -inv
        double dInv = da * (centred + LogisticBins.HALF_BIN) + db * (centred - LogisticBins.HALF_BIN) + dHalf * LogisticBins.HALF_BIN;
        d[1] = clamped ? 0 : -inv * dInv;
        return value;
    }

    /** log p(x|z) of the discretized logistic: x [B, P C], outputs [S * B, 2 C P] (per pixel C locations, C log-scales). */
    static Tensor logistic(Tape t, Tensor x, Tensor out, int channels) {
        int dim = x.cols;
        int pixels = dim / channels;
        int w = 2 * channels;
        Tensor y = t.make(out.rows, 1, out.tracked);
        float[] grads = out.tracked ? t.make(out.rows, out.cols, false).value : null;
        double[] d = new double[2];
        for (int r = 0; r < out.rows; r++) {
            int xo = (r % x.rows) * dim;
            int o = r * out.cols;
            double s = 0;
            for (int p = 0; p < pixels; p++) {
                for (int ch = 0; ch < channels; ch++) {
                    s += logMass(x.value[xo + p * channels + ch], out.value[o + p * w + ch], out.value[o + p * w + channels + ch], d);
                    if (grads != null) {
                        grads[o + p * w + ch] = (float) d[0];
                        grads[o + p * w + channels + ch] = (float) d[1];
                    }
                }
            }
            y.value[r] = (float) s;
        }
        t.onBackward(y, () -> scaleRows(out, grads, y.grad));
        return y;
    }

    /**
     * log p(x|z) of the discretized mixture of K logistics per pixel, the channels of RGB coupled within a
     * component (mu_G += tanh(alpha) x'_R, mu_B += tanh(beta) x'_R + tanh(gamma) x'_G).
     */
    static Tensor mixture(Tape t, Tensor x, Tensor out, int channels, int k) {
        int dim = x.cols;
        int pixels = dim / channels;
        int blocks = 1 + 2 * channels + (channels == 3 ? 3 : 0);
        int per = blocks * k;
        Tensor y = t.make(out.rows, 1, out.tracked);
        float[] grads = out.tracked ? t.make(out.rows, out.cols, false).value : null;
        double[] d = new double[2];
        double[] joint = new double[k];
        double[] logPi = new double[k];
        double[][] dMean = new double[channels][k];
        double[][] dScale = new double[channels][k];
        double[] xs = new double[channels];
        for (int r = 0; r < out.rows; r++) {
            int xo = (r % x.rows) * dim;
            int o = r * out.cols;
            double s = 0;
            for (int p = 0; p < pixels; p++) {
                int base = o + p * per;
                for (int ch = 0; ch < channels; ch++) {
                    xs[ch] = x.value[xo + p * channels + ch];
                }
                double maxLogit = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    maxLogit = Math.max(maxLogit, out.value[base + c]);
                }
                double sumLogit = 0;
                for (int c = 0; c < k; c++) {
                    sumLogit += Math.exp(out.value[base + c] - maxLogit);
                }
                for (int c = 0; c < k; c++) {
                    logPi[c] = out.value[base + c] - maxLogit - Math.log(sumLogit);
                    double j = 0;
                    for (int ch = 0; ch < channels; ch++) {
                        double mean = out.value[base + k + ch * k + c] + coupling(out.value, base, k, channels, c, ch, xs);
                        j += logMass(xs[ch], mean, out.value[base + k + channels * k + ch * k + c], d);
                        dMean[ch][c] = d[0];
                        dScale[ch][c] = d[1];
                    }
                    joint[c] = j;
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    max = Math.max(max, joint[c] + logPi[c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    sum += Math.exp(joint[c] + logPi[c] - max);
                }
                double lse = max + Math.log(sum);
                s += k == 1 ? joint[0] : lse;
                if (grads == null) {
                    continue;
                }
                for (int c = 0; c < k; c++) {
                    double w = k == 1 ? 1 : Math.exp(joint[c] + logPi[c] - lse);
                    grads[base + c] = (float) (k == 1 ? 0 : w - Math.exp(logPi[c]));
                    for (int ch = 0; ch < channels; ch++) {
                        grads[base + k + ch * k + c] = (float) (w * dMean[ch][c]);
                        grads[base + k + channels * k + ch * k + c] = (float) (w * dScale[ch][c]);
                    }
                    if (channels == 3) {
                        int coef = base + k + 2 * channels * k;
                        double red = 2 * xs[0] - 1;
                        double green = 2 * xs[1] - 1;
                        grads[coef + c] = (float) (w * dMean[1][c] * red * tanhSlope(out.value[coef + c]));
                        grads[coef + k + c] = (float) (w * dMean[2][c] * red * tanhSlope(out.value[coef + k + c]));
                        grads[coef + 2 * k + c] = (float) (w * dMean[2][c] * green * tanhSlope(out.value[coef + 2 * k + c]));
                    }
                }
            }
            y.value[r] = (float) s;
        }
        t.onBackward(y, () -> scaleRows(out, grads, y.grad));
        return y;
    }

    /** The RGB coupling term of channel ch's mean in component c (0 for grey, and for red). */
    private static double coupling(float[] v, int base, int k, int channels, int c, int ch, double[] xs) {
        if (channels != 3 || ch == 0) {
            return 0;
        }
        int coef = base + k + 2 * channels * k;
        double red = 2 * xs[0] - 1;
        if (ch == 1) {
            return Math.tanh(v[coef + c]) * red;
        }
        return Math.tanh(v[coef + k + c]) * red + Math.tanh(v[coef + 2 * k + c]) * (2 * xs[1] - 1);
    }

    private static double tanhSlope(float v) {
        double th = Math.tanh(v);
        return 1 - th * th;
    }

    /** out.grad[r, :] += upstream[r] * local[r, :]. */
    private static void scaleRows(Tensor out, float[] local, float[] upstream) {
        float[] g = out.grad();
        for (int r = 0; r < out.rows; r++) {
            float u = upstream[r];
            int o = r * out.cols;
            for (int j = 0; j < out.cols; j++) {
                g[o + j] += u * local[o + j];
            }
        }
    }

    private static double softplus(double v) {
        return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
