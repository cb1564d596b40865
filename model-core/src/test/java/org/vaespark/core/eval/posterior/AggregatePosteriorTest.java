package org.vaespark.core.eval.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** log q(z) by one GEMM per block against a direct double loop over components and dimensions. */
class AggregatePosteriorTest {

    @Test
    void oneComponentInOneDimensionIsTheNormalLogDensity() {
        double mu = 0.7;
        double logvar = Math.log(0.25);
        double z = -0.3;
        double expected = -0.5 * ((z - mu) * (z - mu) / 0.25 + Math.log(0.25) + Math.log(2 * Math.PI));
        AggregatePosterior q = new AggregatePosterior(new double[][]{{mu}}, new double[][]{{logvar}});
        assertEquals(expected, q.logDensity(new double[][]{{z}})[0], 1e-12);
        assertEquals(expected, AggregatePosterior.logNormal(new double[]{z}, new double[]{mu}, new double[]{logvar}), 1e-12);
    }

    @Test
    void matchesADirectLoopAcrossBlocks() {
        Random r = new Random(3);
        int m = 37;
        int d = 5;
        int n = 300;
        double[][] means = new double[m][d];
        double[][] logvars = new double[m][d];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) {
                means[i][j] = 2 * r.nextGaussian();
                logvars[i][j] = -3 + 3 * r.nextDouble();
            }
        }
        double[][] z = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = 2.5 * r.nextGaussian();
            }
        }
        double[] got = new AggregatePosterior(means, logvars).logDensity(z);
        for (int i = 0; i < n; i++) {
            double[] terms = new double[m];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < m; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double var = Math.exp(logvars[c][j]);
                    double diff = z[i][j] - means[c][j];
                    s += -0.5 * Math.log(2 * Math.PI * var) - diff * diff / (2 * var);
                }
                terms[c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (double t : terms) {
                sum += Math.exp(t - max);
            }
            double expected = max + Math.log(sum / m);
            assertEquals(expected, got[i], 1e-8 * Math.max(1, Math.abs(expected)), "query " + i);
        }
    }

    @Test
    void farQueriesDoNotUnderflow() {
        double[][] means = {{0, 0}, {1, 1}};
        double[][] logvars = {{Math.log(1e-4), Math.log(1e-4)}, {Math.log(1e-4), Math.log(1e-4)}};
        double[] got = new AggregatePosterior(means, logvars).logDensity(new double[][]{{5, 5}});
        // The nearer component (1, 1) dominates: 2 * 16 / (2 * 1e-4) = 160000 nats of quadratic form.
        double near = -0.5 * (2 * 16 / 1e-4 + 2 * Math.log(1e-4) + 2 * Math.log(2 * Math.PI));
        assertTrue(Double.isFinite(got[0]));
        assertEquals(near - Math.log(2), got[0], 1e-6 * Math.abs(near));
    }
}
