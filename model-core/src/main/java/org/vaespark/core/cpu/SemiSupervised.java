package org.vaespark.core.cpu;

/**
 * The bound of the semi-supervised model M2 (Kingma et al. 2014, eqs. 7-9) on the CPU executor,
 * from the per-class terms of a class-major replicated batch (row s K B + k B + b holds sample s of
 * example b under class k) and the classifier's log q(y|x) [B, K], as one layer with its backward
 * step. With T_k = log p(x|z_k, k) + beta (log p(z_k) + log p(y)) - beta (log q(z_k|x, k) + log q(k|x)):
 * an unlabelled example's bound is sum_k q(k|x) T_k; a labelled one's is
 * log p(x|z_y, y) - beta (log q(z_y|x, y) - log p(z_y)) + log p(y) + alpha log q(y|x).
 * Also the outputs the graph names: sum_k q(k|x) log p(x|z_k, k), sum_k q(k|x) (log p(z_k) + log p(y)),
 * sum_k q(k|x) (log q(z_k|x, k) + log q(k|x)), and log w = logsumexp_k (log p(x|z_k, k) + log p(z_k) + log p(y)
 * - log q(z_k|x, k)), an importance weight stratified over y.
 */
final class SemiSupervised {
    private SemiSupervised() {
    }

    /** The bound [S * B, 1] and the named per-sample outputs, each [S * B, 1]. */
    record Result(Tensor bound, Tensor logPx, Tensor logPz, Tensor logQz, Tensor logW) {
    }

    /**
     * @param px       log p(x|z_k, k) [S K B, 1]
     * @param pz       log p(z_k) [S K B, 1]
     * @param qz       log q(z_k|x, k) [S K B, 1]
     * @param logQy    log q(k|x) [B, K]
     * @param labels   one-hot labels [B, K], a zero row where unlabelled
     */
    static Result bound(Tape t, Tensor px, Tensor pz, Tensor qz, Tensor logQy, float[] labels, int samples, double beta,
                        double alpha) {
        int b = logQy.rows;
        int k = logQy.cols;
        double logPy = -Math.log(k);
        boolean tracked = px.tracked || pz.tracked || qz.tracked || logQy.tracked;
        Tensor bound = t.make(samples * b, 1, tracked);
        Tensor outPx = t.make(samples * b, 1, false);
        Tensor outPz = t.make(samples * b, 1, false);
        Tensor outQz = t.make(samples * b, 1, false);
        Tensor logW = t.make(samples * b, 1, false);
        for (int s = 0; s < samples; s++) {
            for (int e = 0; e < b; e++) {
                int r = s * b + e;
                boolean labelled = labelled(labels, e, k);
                double u = 0;
                double l = logPy;
                double sx = 0;
                double sz = 0;
                double sq = 0;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    int at = s * k * b + c * b + e;
                    double q = Math.exp(logQy.value[e * k + c]);
                    double lq = logQy.value[e * k + c];
                    u += q * (px.value[at] + beta * (pz.value[at] + logPy) - beta * (qz.value[at] + lq));
                    double y = labelled ? labels[e * k + c] : 0;
                    l += y * (px.value[at] - beta * (qz.value[at] - pz.value[at]) + alpha * lq);
                    sx += q * px.value[at];
                    sz += q * (pz.value[at] + logPy);
                    sq += q * (qz.value[at] + lq);
                    max = Math.max(max, (double) px.value[at] + pz.value[at] - qz.value[at] + logPy);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    int at = s * k * b + c * b + e;
                    sum += Math.exp((double) px.value[at] + pz.value[at] - qz.value[at] + logPy - max);
                }
                bound.value[r] = (float) (labelled ? l : u);
                outPx.value[r] = (float) sx;
                outPz.value[r] = (float) sz;
                outQz.value[r] = (float) sq;
                logW.value[r] = (float) (max + Math.log(sum));
            }
        }
        t.onBackward(bound, () -> {
            float[] dPx = px.tracked ? px.grad() : null;
            float[] dPz = pz.tracked ? pz.grad() : null;
            float[] dQz = qz.tracked ? qz.grad() : null;
            float[] dQy = logQy.tracked ? logQy.grad() : null;
            for (int s = 0; s < samples; s++) {
                for (int e = 0; e < b; e++) {
                    float g = bound.grad[s * b + e];
                    boolean labelled = labelled(labels, e, k);
                    for (int c = 0; c < k; c++) {
                        int at = s * k * b + c * b + e;
                        double lq = logQy.value[e * k + c];
                        double w;
                        double dLogQy;
                        if (labelled) {
                            w = labels[e * k + c];
                            dLogQy = alpha * w;
                        } else {
                            w = Math.exp(lq);
                            double tk = px.value[at] + beta * (pz.value[at] + logPy) - beta * (qz.value[at] + lq);
                            dLogQy = w * tk - beta * w;
                        }
                        if (dPx != null) {
                            dPx[at] += (float) (g * w);
                        }
                        if (dPz != null) {
                            dPz[at] += (float) (g * beta * w);
                        }
                        if (dQz != null) {
                            dQz[at] -= (float) (g * beta * w);
                        }
                        if (dQy != null) {
                            dQy[e * k + c] += (float) (g * dLogQy);
                        }
                    }
                }
            }
        });
        return new Result(bound, outPx, outPz, outQz, logW);
    }

    private static boolean labelled(float[] labels, int e, int k) {
        for (int c = 0; c < k; c++) {
            if (labels[e * k + c] != 0f) {
                return true;
            }
        }
        return false;
    }

    /** log softmax over each row: v - max - log sum exp(v - max). */
    static Tensor logSoftmax(Tape t, Tensor v) {
        int k = v.cols;
        Tensor y = t.make(v.rows, k, v.tracked);
        for (int r = 0; r < v.rows; r++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, v.value[r * k + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(v.value[r * k + c] - max);
            }
            float log = (float) Math.log(sum);
            for (int c = 0; c < k; c++) {
                y.value[r * k + c] = v.value[r * k + c] - max - log;
            }
        }
        t.onBackward(y, () -> {
            float[] dv = v.grad();
            for (int r = 0; r < v.rows; r++) {
                double total = 0;
                for (int c = 0; c < k; c++) {
                    total += y.grad[r * k + c];
                }
                for (int c = 0; c < k; c++) {
                    dv[r * k + c] += (float) (y.grad[r * k + c] - Math.exp(y.value[r * k + c]) * total);
                }
            }
        });
        return y;
    }
}
