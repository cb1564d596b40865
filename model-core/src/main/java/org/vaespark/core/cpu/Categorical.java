package org.vaespark.core.cpu;

/**
 * log p(y|z) of a categorical decoder with logits l: l_y - logsumexp(l), per row, for one-hot labels y [B, K] and
 * logits [S * B, K] (row s B + b belongs to example b); [S * B, 1]. Gradient: y - softmax(l).
 */
final class Categorical {
    private Categorical() {
    }

    static Tensor logProb(Tape t, Tensor logits, Tensor oneHot) {
        int k = logits.cols;
        int b = oneHot.rows;
        if (oneHot.cols != k || logits.rows % b != 0) {
            throw new IllegalArgumentException("logits [" + logits.rows + ", " + k + "] for labels [" + b + ", " + oneHot.cols + "]");
        }
        Tensor out = t.make(logits.rows, 1, logits.tracked);
        float[] logSum = t.make(logits.rows, 1, false).value;
        for (int r = 0; r < logits.rows; r++) {
            int o = r * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, logits.value[o + j]);
            }
            double sum = 0;
            double picked = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(logits.value[o + j] - max);
                picked += oneHot.value[(r % b) * k + j] * logits.value[o + j];
            }
            logSum[r] = (float) (max + Math.log(sum));
            out.value[r] = (float) (picked - logSum[r]);
        }
        t.onBackward(out, () -> {
            float[] dl = logits.grad();
            for (int r = 0; r < logits.rows; r++) {
                float g = out.grad[r];
                int o = r * k;
                for (int j = 0; j < k; j++) {
                    double softmax = Math.exp(logits.value[o + j] - logSum[r]);
                    dl[o + j] += (float) (g * (oneHot.value[(r % b) * k + j] - softmax));
                }
            }
        });
        return out;
    }
}
