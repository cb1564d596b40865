package org.vaespark.core.cpu;

/**
 * sum_i c_{b,i} term_i per row, with coefficients per example: terms [S * B, 1] (row s B + b belongs to example b),
 * coefficients [B][terms]; [S * B, 1]. A null term must have coefficient 0 for every example. The layer that weighs the
 * MVAE's ELBO terms ({@link CpuMultimodal}).
 */
final class WeightedSum {
    private WeightedSum() {
    }

    static Tensor of(Tape t, Tensor[] terms, double[][] coefficients, int batch) {
        int rows = terms[0].rows;
        boolean tracked = false;
        for (Tensor term : terms) {
            tracked |= term.tracked;
        }
        Tensor out = t.make(rows, 1, tracked);
        for (int r = 0; r < rows; r++) {
            double s = 0;
            double[] c = coefficients[r % batch];
            for (int i = 0; i < terms.length; i++) {
                if (c[i] != 0) {
                    s += c[i] * terms[i].value[r];
                }
            }
            out.value[r] = (float) s;
        }
        t.onBackward(out, () -> {
            for (int i = 0; i < terms.length; i++) {
                if (!terms[i].tracked) {
                    continue;
                }
                float[] d = terms[i].grad();
                for (int r = 0; r < rows; r++) {
                    d[r] += (float) (coefficients[r % batch][i] * out.grad[r]);
                }
            }
        });
        return out;
    }
}
