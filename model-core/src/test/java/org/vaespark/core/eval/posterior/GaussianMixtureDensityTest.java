package org.vaespark.core.eval.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.vaespark.core.errors.VaeException;

/** The full-covariance mixture density against independent computations. */
class GaussianMixtureDensityTest {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private static double normal1d(double x, double mean, double var) {
        return -0.5 * (LOG_2PI + Math.log(var) + (x - mean) * (x - mean) / var);
    }

    @Test
    void diagonalComponentIsAProductOfOneDimensionalNormals() {
        double[] var = {0.5, 2.0, 1.5};
        double[] mean = {0.1, -1.0, 2.0};
        double[][] cov = new double[3][3];
        for (int j = 0; j < 3; j++) {
            cov[j][j] = var[j];
        }
        GaussianMixtureDensity p = new GaussianMixtureDensity(new double[]{1.0}, new double[][]{mean}, new double[][][]{cov});
        double[] z = {0.4, 0.3, -0.2};
        double expected = 0;
        for (int j = 0; j < 3; j++) {
            expected += normal1d(z[j], mean[j], var[j]);
        }
        assertEquals(expected, p.logDensity(z), 1e-12);
    }

    @Test
    void twoDimensionalFullCovarianceByHand() {
        // C = [[2, 0.6], [0.6, 1]]: det = 1.64, C^-1 = [[1, -0.6], [-0.6, 2]] / 1.64.
        double[][] cov = {{2, 0.6}, {0.6, 1}};
        double[] mean = {1, -1};
        double[] z = {0.5, 0.5};
        double dx = z[0] - mean[0];
        double dy = z[1] - mean[1];
        double quad = (dx * dx * 1 - 2 * 0.6 * dx * dy + 2 * dy * dy) / 1.64;
        double expected = -0.5 * (2 * LOG_2PI + Math.log(1.64) + quad);
        GaussianMixtureDensity p = new GaussianMixtureDensity(new double[]{1.0}, new double[][]{mean}, new double[][][]{cov});
        assertEquals(expected, p.logDensity(z), 1e-12);

        // A two-component mixture is log(w1 N1 + w2 N2), the second component N(0, I).
        GaussianMixtureDensity mix = new GaussianMixtureDensity(new double[]{0.3, 0.7}, new double[][]{mean, {0, 0}},
                new double[][][]{cov, {{1, 0}, {0, 1}}});
        double second = normal1d(z[0], 0, 1) + normal1d(z[1], 0, 1);
        assertEquals(Math.log(0.3 * Math.exp(expected) + 0.7 * Math.exp(second)), mix.logDensity(z), 1e-12);

        // Adding a diagonal convolves: C + diag(0.5, 0.25) = [[2.5, 0.6], [0.6, 1.25]], det = 2.765.
        double wide = (dx * dx * 1.25 - 2 * 0.6 * dx * dy + 2.5 * dy * dy) / 2.765;
        assertEquals(-0.5 * (2 * LOG_2PI + Math.log(2.765) + wide),
                p.withAddedDiagonal(new double[]{0.5, 0.25}).logDensity(z), 1e-12);
    }

    @Test
    void rejectsACovarianceThatIsNotPositiveDefinite() {
        assertThrows(VaeException.class, () -> new GaussianMixtureDensity(new double[]{1.0}, new double[][]{{0, 0}},
                new double[][][]{{{1, 2}, {2, 1}}}));
        assertThrows(IllegalArgumentException.class, () -> new GaussianMixtureDensity(new double[]{0.5, 0.4},
                new double[][]{{0}, {1}}, new double[][][]{{{1}}, {{1}}}));
    }
}
