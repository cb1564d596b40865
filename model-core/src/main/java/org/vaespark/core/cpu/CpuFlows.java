package org.vaespark.core.cpu;

import java.util.ArrayList;
import java.util.List;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.flow.Made;

/**
 * The flows of the MLP family on the CPU executor, under the graph's parameter names: planar
 * posterior flows (Rezende &amp; Mohamed 2015), inverse autoregressive flows (Kingma et al. 2016)
 * and the masked networks they and the autoregressive-flow prior are made of (MADE, Germain et
 * al. 2015). Each flow maps rows z0 [S * B, d] and returns the new rows with log|det dz/dz0| [S * B, 1].
 */
final class CpuFlows {
    private CpuFlows() {
    }

    record Result(Tensor z, Tensor logDet) {
    }

    /**
     * L planar steps f(z) = z + û tanh(wᵀz + b), u, w, b from the encoder features, û constrained so
     * that wᵀû = m(wᵀu) = -1 + softplus(wᵀu) > -1 (App. A.1); log|det| = log|1 + (1 - tanh²) wᵀû|.
     */
    static Result planar(Tape t, CpuParameters p, Tensor z0, Tensor features, int samples, int length) {
        Tensor z = z0;
        Tensor logDet = null;
        for (int k = 0; k < length; k++) {
            Tensor u = Layers.dense(t, p, features, "planar_" + k + "_u");
            Tensor w = Layers.dense(t, p, features, "planar_" + k + "_w");
            Tensor b = t.repeat(Layers.dense(t, p, features, "planar_" + k + "_b"), samples);
            Tensor wu = Elementwise.rowSum(t, Elementwise.mul(t, w, u));
            Tensor ww = Elementwise.rowSum(t, Elementwise.mul(t, w, w));
            Tensor m = Elementwise.affine(t, t.softplus(wu), 1f, -1f);
            Tensor uHat = t.add(u, Elementwise.mulColumn(t, w, Elementwise.div(t, t.sub(m, wu), ww)));
            Tensor wRows = t.repeat(w, samples);
            Tensor uRows = t.repeat(uHat, samples);
            Tensor a = t.add(Elementwise.rowSum(t, Elementwise.mul(t, z, wRows)), b);
            Tensor tanh = t.tanh(a);
            z = t.add(z, Elementwise.mulColumn(t, uRows, tanh));
            Tensor wuHat = t.repeat(Elementwise.rowSum(t, Elementwise.mul(t, w, uHat)), samples);
            Tensor slope = Elementwise.affine(t, Elementwise.mul(t, tanh, tanh), -1f, 1f);
            Tensor step = Elementwise.logAbs(t, Elementwise.affine(t, Elementwise.mul(t, slope, wuHat), 1f, 1f));
            logDet = logDet == null ? step : t.add(logDet, step);
        }
        return new Result(z, logDet);
    }

    /**
     * IAF steps: [m, s] = MADE(z, h), sigma = sigmoid(s), z = sigma z + (1 - sigma) m, log|det| = sum log sigma;
     * h = the dense head {@code iaf_context} of the encoder features, the same for every sample.
     */
    static Result iaf(Tape t, CpuParameters p, Tensor z0, Tensor features, int samples, List<Made> steps, String contextHead) {
        Tensor h = t.repeat(Layers.dense(t, p, features, contextHead), samples);
        Tensor z = z0;
        Tensor logSigma = null;
        for (Made made : steps) {
            List<Tensor> ms = made(t, p, made, z, h);
            Tensor s = ms.get(1);
            Tensor sigma = Elementwise.sigmoid(t, s);
            Tensor rest = Elementwise.sigmoid(t, Elementwise.affine(t, s, -1f, 0f));
            z = t.add(Elementwise.mul(t, sigma, z), Elementwise.mul(t, rest, ms.get(0)));
            Tensor logS = Elementwise.affine(t, t.softplus(Elementwise.affine(t, s, -1f, 0f)), -1f, 0f);
            logSigma = logSigma == null ? logS : t.add(logSigma, logS);
        }
        return new Result(z, Elementwise.rowSum(t, logSigma));
    }

    /** The output heads of a MADE on rows x [N, d], with an optional unmasked context [N, c] (null for none). */
    static List<Tensor> made(Tape t, CpuParameters p, Made made, Tensor x, Tensor context) {
        List<float[]> masks = masks(made);
        Tensor h = x;
        List<Integer> hidden = made.hidden();
        for (int i = 0; i < hidden.size(); i++) {
            Tensor w = Elementwise.masked(t, t.param(p, VaeNames.weight(made.layer(i))), masks.get(i));
            Tensor pre = t.dense(h, w, t.param(p, VaeNames.bias(made.layer(i))));
            if (i == 0 && context != null) {
                pre = t.add(pre, Elementwise.matmul(t, context, t.param(p, made.contextWeight())));
            }
            h = t.activate(pre, made.activation());
        }
        Tensor ctxOut = hidden.isEmpty() && context != null ? Elementwise.matmul(t, context, t.param(p, made.contextWeight())) : null;
        List<Tensor> out = new ArrayList<>();
        for (int o = 0; o < made.outputCount(); o++) {
            Tensor w = Elementwise.masked(t, t.param(p, VaeNames.weight(made.head(o))), masks.get(masks.size() - 1));
            Tensor y = t.dense(h, w, t.param(p, VaeNames.bias(made.head(o))));
            if (ctxOut != null) {
                y = t.add(y, Elementwise.columns(t, ctxOut, o * made.dim(), made.dim()));
            }
            out.add(y);
        }
        return out;
    }

    private static List<float[]> masks(Made made) {
        List<float[]> out = new ArrayList<>();
        for (double[][] m : made.masks()) {
            float[] f = new float[m.length * m[0].length];
            for (int i = 0; i < m.length; i++) {
                for (int j = 0; j < m[0].length; j++) {
                    f[i * m[0].length + j] = (float) m[i][j];
                }
            }
            out.add(f);
        }
        return out;
    }

    /**
     * log p(z) of the autoregressive-flow prior, evaluated as a masked autoregressive flow (Papamakarios et al.
     * 2017): eps = (x - mu(x)) exp(-alpha(x)) through every step, log p = log N(eps; 0, I) - sum alpha.
     */
    static Tensor flowPriorLogDensity(Tape t, CpuParameters p, Tensor z, List<Made> steps) {
        Tensor x = z;
        Tensor negAlpha = null;
        for (Made made : steps) {
            List<Tensor> ma = made(t, p, made, x, null);
            Tensor minus = Elementwise.affine(t, ma.get(1), -1f, 0f);
            x = Elementwise.mul(t, t.sub(x, ma.get(0)), Elementwise.exp(t, minus));
            negAlpha = negAlpha == null ? minus : t.add(negAlpha, minus);
        }
        return t.add(Densities.logStandardNormal(t, x), Elementwise.rowSum(t, negAlpha));
    }
}
