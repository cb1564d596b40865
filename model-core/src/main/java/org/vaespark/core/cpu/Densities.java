package org.vaespark.core.cpu;

import org.vaespark.core.kernel.PixelKernels;

/**
 * The CPU executor's log-densities and sampling layers, each with its own backward step. Every
 * constant of a density is kept (see docs/math.md): log N(z; mu, sigma^2) = -(z - mu)^2 / (2
 * sigma^2) - log(sigma^2) / 2 - log(2 pi) / 2 per dimension. Per-sample outputs are columns
 * [N, 1]; samples of a minibatch of B are rows s * B + b.
 */
public final class Densities {
    /** 0.5 log(2 pi). */
    static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private Densities() {
    }

    /** z = mu + exp(logvar / 2) eps (Kingma &amp; Welling 2014), mu and logvar [B, d] for every sample of eps [S * B, d]. */
    public static Tensor sample(Tape t, Tensor mu, Tensor logvar, Tensor eps) {
        Tape.sameShape(mu, logvar);
        int n = mu.value.length;
        int samples = eps.rows / mu.rows;
        if (eps.cols != mu.cols || samples * mu.rows != eps.rows) {
            throw new IllegalArgumentException("noise [" + eps.rows + ", " + eps.cols + "] for moments [" + mu.rows + ", " + mu.cols + "]");
        }
        Tensor z = t.make(eps.rows, eps.cols, mu.tracked || logvar.tracked);
        float[] sigma = t.make(mu.rows, mu.cols, false).value;
        for (int i = 0; i < n; i++) {
            sigma[i] = (float) Math.exp(logvar.value[i] * 0.5f);
        }
        for (int s = 0; s < samples; s++) {
            int o = s * n;
            for (int i = 0; i < n; i++) {
                z.value[o + i] = eps.value[o + i] * sigma[i] + mu.value[i];
            }
        }
        t.onBackward(z, () -> {
            float[] dz = z.grad;
            for (int s = 0; s < samples; s++) {
                int o = s * n;
                if (mu.tracked) {
                    float[] dmu = mu.grad();
                    for (int i = 0; i < n; i++) {
                        dmu[i] += dz[o + i];
                    }
                }
                if (logvar.tracked) {
                    float[] dlv = logvar.grad();
                    for (int i = 0; i < n; i++) {
                        dlv[i] += dz[o + i] * eps.value[o + i] * sigma[i] * 0.5f;
                    }
                }
            }
        });
        return z;
    }

    /** log N(mu + sigma eps; mu, sigma^2) = sum_j -eps_j^2 / 2 - logvar_j / 2 - log(2 pi) / 2, per sample: [S * B, 1]. */
    public static Tensor logGaussianFromNoise(Tape t, Tensor eps, Tensor logvar) {
        int b = logvar.rows;
        int d = logvar.cols;
        int samples = eps.rows / b;
        Tensor out = t.make(eps.rows, 1, logvar.tracked);
        for (int r = 0; r < eps.rows; r++) {
            int lo = (r % b) * d;
            int eo = r * d;
            float s = 0f;
            for (int j = 0; j < d; j++) {
                float e = eps.value[eo + j];
                s += (e * e + logvar.value[lo + j]) * -0.5f - (float) HALF_LOG_2PI;
            }
            out.value[r] = s;
        }
        t.onBackward(out, () -> {
            float[] dlv = logvar.grad();
            for (int r = 0; r < samples * b; r++) {
                float g = -0.5f * out.grad[r];
                int lo = (r % b) * d;
                for (int j = 0; j < d; j++) {
                    dlv[lo + j] += g;
                }
            }
        });
        return out;
    }

    /** sum_j log N(z_j; mu_j, exp(logvar_j)) per row of z, mu, logvar [N, d]: [N, 1]. */
    public static Tensor logNormal(Tape t, Tensor z, Tensor mu, Tensor logvar) {
        Tape.sameShape(z, mu);
        Tape.sameShape(z, logvar);
        int d = z.cols;
        Tensor out = t.make(z.rows, 1, z.tracked || mu.tracked || logvar.tracked);
        for (int r = 0; r < z.rows; r++) {
            int o = r * d;
            float s = 0f;
            for (int j = 0; j < d; j++) {
                float diff = z.value[o + j] - mu.value[o + j];
                float lv = logvar.value[o + j];
                s += (diff * diff * (float) Math.exp(-lv) + lv) * -0.5f - (float) HALF_LOG_2PI;
            }
            out.value[r] = s;
        }
        t.onBackward(out, () -> {
            float[] dz = z.tracked ? z.grad() : null;
            float[] dmu = mu.tracked ? mu.grad() : null;
            float[] dlv = logvar.tracked ? logvar.grad() : null;
            for (int r = 0; r < z.rows; r++) {
                float g = out.grad[r];
                int o = r * d;
                for (int j = 0; j < d; j++) {
                    float diff = z.value[o + j] - mu.value[o + j];
                    float precision = (float) Math.exp(-logvar.value[o + j]);
                    float gz = -g * diff * precision;
                    if (dz != null) {
                        dz[o + j] += gz;
                    }
                    if (dmu != null) {
                        dmu[o + j] -= gz;
                    }
                    if (dlv != null) {
                        dlv[o + j] += g * 0.5f * (diff * diff * precision - 1f);
                    }
                }
            }
        });
        return out;
    }

    /** sum_j log N(z_j; 0, 1) per row: [N, 1]. */
    public static Tensor logStandardNormal(Tape t, Tensor z) {
        int d = z.cols;
        Tensor out = t.make(z.rows, 1, z.tracked);
        for (int r = 0; r < z.rows; r++) {
            int o = r * d;
            float s = 0f;
            for (int j = 0; j < d; j++) {
                float v = z.value[o + j];
                s += v * v * -0.5f - (float) HALF_LOG_2PI;
            }
            out.value[r] = s;
        }
        t.onBackward(out, () -> {
            float[] dz = z.grad();
            for (int r = 0; r < z.rows; r++) {
                float g = out.grad[r];
                int o = r * d;
                for (int j = 0; j < d; j++) {
                    dz[o + j] -= g * z.value[o + j];
                }
            }
        });
        return out;
    }

    /** KL(N(mu, exp(logvar)) || N(0, I)) = -1/2 sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j)) per row: [B, 1]. */
    public static Tensor klStandard(Tape t, Tensor mu, Tensor logvar) {
        Tape.sameShape(mu, logvar);
        int d = mu.cols;
        Tensor out = t.make(mu.rows, 1, mu.tracked || logvar.tracked);
        for (int r = 0; r < mu.rows; r++) {
            int o = r * d;
            float s = 0f;
            for (int j = 0; j < d; j++) {
                float m = mu.value[o + j];
                float lv = logvar.value[o + j];
                s += (lv + 1f - m * m - (float) Math.exp(lv)) * -0.5f;
            }
            out.value[r] = s;
        }
        t.onBackward(out, () -> {
            for (int r = 0; r < mu.rows; r++) {
                float g = out.grad[r];
                int o = r * d;
                for (int j = 0; j < d; j++) {
                    if (mu.tracked) {
                        mu.grad()[o + j] += g * mu.value[o + j];
                    }
                    if (logvar.tracked) {
                        logvar.grad()[o + j] += g * 0.5f * ((float) Math.exp(logvar.value[o + j]) - 1f);
                    }
                }
            }
        });
        return out;
    }

    /**
     * log p(x|z) of a Bernoulli with logits l, x l - softplus(l) summed over a row: x [B, D] for every
     * sample of logits [S * B, D]; [S * B, 1].
     */
    public static Tensor bernoulli(Tape t, Tensor x, Tensor logits) {
        return bernoulli(t, x, logits, null);
    }

    /**
     * The Bernoulli log p(x|z) with each value's term multiplied by {@code weights} [B, D] (0/1: the log-likelihood
     * of the values whose weight is 1 only, as for the observed pixels of an image with missing values); null weighs
     * every value 1.
     */
    public static Tensor bernoulli(Tape t, Tensor x, Tensor logits, float[] weights) {
        int dim = x.cols;
        int b = x.rows;
        Tensor out = t.make(logits.rows, 1, logits.tracked);
        // x l - softplus(l) = -softplus((1 - 2x) l) for binary x: the SIMD kernel of the reference family's dense path
        float[] sign = t.make(b, dim, false).value;
        for (int i = 0; i < sign.length; i++) {
            sign[i] = 1f - 2f * x.value[i];
        }
        float[] zero = t.make(1, dim, false).value;
        java.util.Arrays.fill(zero, 0f);
        boolean binary = weights == null;
        for (float v : x.value) {
            binary &= v == 0f || v == 1f;
        }
        for (int r = 0; r < logits.rows; r++) {
            int o = r * dim;
            int xo = (r % b) * dim;
            if (binary) {
                out.value[r] = (float) PixelKernels.bernoulliLogProb(logits.value, o, zero, sign, xo, dim);
            } else {
                double s = 0;
                for (int j = 0; j < dim; j++) {
                    float l = logits.value[o + j];
                    s += (l * x.value[xo + j] - Tape.softplus(l)) * (weights == null ? 1f : weights[xo + j]);
                }
                out.value[r] = (float) s;
            }
        }
        t.onBackward(out, () -> {
            float[] dl = logits.grad();
            float[] sigmoid = t.make(logits.rows, dim, false).value;
            PixelKernels.sigmoid(logits.value, sigmoid, sigmoid.length);
            for (int r = 0; r < logits.rows; r++) {
                float g = out.grad[r];
                int o = r * dim;
                int xo = (r % b) * dim;
                for (int j = 0; j < dim; j++) {
                    dl[o + j] += g * (x.value[xo + j] - sigmoid[o + j]) * (weights == null ? 1f : weights[xo + j]);
                }
            }
        });
        return out;
    }

    /**
     * log p(x|z) of a Gaussian N(x; mean, sigma^2) per value, summed over a row: x [B, D] for every
     * sample of means [S * B, D]. sigma^2 is exp(logvar), logvar a learned [1] parameter, or the fixed
     * {@code variance} when {@code logvar} is null.
     */
    public static Tensor gaussian(Tape t, Tensor x, Tensor mean, Tensor logvar, double variance) {
        return gaussian(t, x, mean, logvar, variance, null);
    }

    /** The Gaussian log p(x|z) with each value's term multiplied by {@code weights} [B, D] (see the Bernoulli's); null weighs every value 1. */
    public static Tensor gaussian(Tape t, Tensor x, Tensor mean, Tensor logvar, double variance, float[] weights) {
        int dim = x.cols;
        int b = x.rows;
        boolean learned = logvar != null;
        Tensor out = t.make(mean.rows, 1, mean.tracked || (learned && logvar.tracked));
        float lv = learned ? logvar.value[0] : 0f;
        float precision = learned ? (float) Math.exp(-lv) : 0f;
        float constant = (float) (0.5 * Math.log(variance) + HALF_LOG_2PI);
        float half = (float) (-0.5 / variance);
        for (int r = 0; r < mean.rows; r++) {
            int o = r * dim;
            int xo = (r % b) * dim;
            float s = 0f;
            for (int j = 0; j < dim; j++) {
                float diff = mean.value[o + j] - x.value[xo + j];
                float term = learned ? (diff * diff * precision + lv) * -0.5f - (float) HALF_LOG_2PI : diff * diff * half - constant;
                s += weights == null ? term : term * weights[xo + j];
            }
            out.value[r] = s;
        }
        t.onBackward(out, () -> {
            float[] dm = mean.tracked ? mean.grad() : null;
            double dlv = 0;
            for (int r = 0; r < mean.rows; r++) {
                float g = out.grad[r];
                int o = r * dim;
                int xo = (r % b) * dim;
                for (int j = 0; j < dim; j++) {
                    float diff = mean.value[o + j] - x.value[xo + j];
                    float gw = weights == null ? g : g * weights[xo + j];
                    if (dm != null) {
                        dm[o + j] += learned ? -gw * diff * precision : gw * diff * 2f * half;
                    }
                    if (learned) {
                        dlv += gw * 0.5f * (diff * diff * precision - 1f);
                    }
                }
            }
            if (learned && logvar.tracked) {
                logvar.grad()[0] += (float) dlv;
            }
        });
        return out;
    }
}
