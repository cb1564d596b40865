package org.vaespark.core.cpu;

import java.util.List;

/**
 * The product of diagonal Gaussian experts and the N(0, I) prior expert (Wu &amp; Goodman 2018, eq. 4 with a Gaussian
 * prior expert), as one layer with its backward step: with precisions P_m = exp(-logvar_m), the product is Gaussian
 * with precision T = 1 + sum_m P_m, mean (sum_m P_m mu_m) / T and log-variance -log T. Gradients:
 * d mean / d mu_m = P_m / T, d mean / d logvar_m = P_m (mean - mu_m) / T, d logvar / d logvar_m = P_m / T.
 * Computed in double precision.
 */
final class ProductOfExperts {
    private ProductOfExperts() {
    }

    /** The product of {@code experts} (each [N, d]; their features are dropped) with N(0, I). */
    static Moments of(Tape t, List<Moments> experts) {
        Tensor first = experts.get(0).mean();
        int rows = first.rows;
        int cols = first.cols;
        boolean tracked = false;
        for (Moments e : experts) {
            Tape.sameShape(first, e.mean());
            Tape.sameShape(first, e.logvar());
            tracked |= e.mean().tracked || e.logvar().tracked;
        }
        Tensor mean = t.make(rows, cols, tracked);
        Tensor logvar = t.make(rows, cols, tracked);
        float[] precision = t.make(rows, cols, false).value;
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            double total = 1;
            double weighted = 0;
            for (Moments e : experts) {
                double p = Math.exp(-(double) e.logvar().value[i]);
                total += p;
                weighted += p * e.mean().value[i];
            }
            precision[i] = (float) total;
            mean.value[i] = (float) (weighted / total);
            logvar.value[i] = (float) -Math.log(total);
        }
        t.onBackward(mean, () -> {
            for (Moments e : experts) {
                float[] dmu = e.mean().tracked ? e.mean().grad() : null;
                float[] dlv = e.logvar().tracked ? e.logvar().grad() : null;
                for (int i = 0; i < n; i++) {
                    double share = Math.exp(-(double) e.logvar().value[i]) / precision[i];
                    double g = mean.grad[i];
                    if (dmu != null) {
                        dmu[i] += (float) (g * share);
                    }
                    if (dlv != null) {
                        dlv[i] += (float) (g * share * (mean.value[i] - e.mean().value[i]));
                    }
                }
            }
        });
        t.onBackward(logvar, () -> {
            for (Moments e : experts) {
                if (!e.logvar().tracked) {
                    continue;
                }
                float[] dlv = e.logvar().grad();
                for (int i = 0; i < n; i++) {
                    dlv[i] += (float) (logvar.grad[i] * Math.exp(-(double) e.logvar().value[i]) / precision[i]);
                }
            }
        });
        return new Moments(mean, logvar, null);
    }
}
