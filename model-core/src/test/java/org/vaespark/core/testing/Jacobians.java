package org.vaespark.core.testing;

import java.util.function.UnaryOperator;

/**
 * Jacobians by central finite differences and log|det| by Gaussian elimination, in plain Java
 * double precision: the independent reference for the flow log-determinant tests.
 */
public final class Jacobians {
    private Jacobians() {
    }

    /**
     * Per-row Jacobians of a row-wise map f: [N][n] to [N][m] (row r of the output depends only on
     * row r of the input), by central differences with step {@code h}: result [N][m][n].
     */
    public static double[][][] rowwise(UnaryOperator<double[][]> f, double[][] x, double h) {
        int rows = x.length, n = x[0].length;
        double[][][] jac = null;
        for (int i = 0; i < n; i++) {
            double[][] up = shifted(x, i, h), down = shifted(x, i, -h);
            double[][] fu = f.apply(up), fd = f.apply(down);
            if (jac == null) {
                jac = new double[rows][fu[0].length][n];
            }
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < fu[0].length; j++) {
                    jac[r][j][i] = (fu[r][j] - fd[r][j]) / (2 * h);
                }
            }
        }
        return jac;
    }

    /** log|det A| of a square matrix (LU with partial pivoting). */
    public static double logAbsDet(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
        }
        double logDet = 0;
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            logDet += Math.log(Math.abs(m[c][c]));
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k < n; k++) {
                    m[r][k] -= f * m[c][k];
                }
            }
        }
        return logDet;
    }

    private static double[][] shifted(double[][] x, int i, double h) {
        double[][] y = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            y[r] = x[r].clone();
            y[r][i] += h;
        }
        return y;
    }
}
