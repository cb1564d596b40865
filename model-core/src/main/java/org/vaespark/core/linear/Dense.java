package org.vaespark.core.linear;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small dense double-precision linear algebra for the linear-Gaussian models: row-major
 * {@code double[rows][cols]} matrices, Cholesky log-determinants and solves, Gram-Schmidt and the
 * symmetric eigen-decomposition (LAPACK's dsyev through ND4J). Sizes here are D x D with D the pixel
 * count at most, and d x d with d the latent size.
 */
final class Dense {
    private Dense() {
    }

    static double[][] zeros(int rows, int cols) {
        return new double[rows][cols];
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** a b, with the inner loop over b's rows so it streams (a D x D times D x d product is the hot path). */
    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int inner = b.length;
        int m = b[0].length;
        if (a[0].length != inner) {
            throw new IllegalArgumentException("inner sizes differ: " + a[0].length + " vs " + inner);
        }
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            double[] ci = c[i];
            double[] ai = a[i];
            for (int k = 0; k < inner; k++) {
                double aik = ai[k];
                if (aik == 0) {
                    continue;
                }
                double[] bk = b[k];
                for (int j = 0; j < m; j++) {
                    ci[j] += aik * bk[j];
                }
            }
        }
        return c;
    }

    /** aᵀ b without forming aᵀ. */
    static double[][] multiplyTransposeA(double[][] a, double[][] b) {
        int n = a[0].length;
        int m = b[0].length;
        double[][] c = new double[n][m];
        for (int k = 0; k < a.length; k++) {
            double[] ak = a[k];
            double[] bk = b[k];
            for (int i = 0; i < n; i++) {
                double aki = ak[i];
                double[] ci = c[i];
                for (int j = 0; j < m; j++) {
                    ci[j] += aki * bk[j];
                }
            }
        }
        return c;
    }

    static double[] multiply(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += a[i][j] * x[j];
            }
            y[i] = s;
        }
        return y;
    }

    static double[] multiplyTransposeA(double[][] a, double[] x) {
        double[] y = new double[a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < y.length; j++) {
                y[j] += a[i][j] * x[i];
            }
        }
        return y;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double trace(double[][] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i][i];
        }
        return s;
    }

    /** The lower Cholesky factor of a symmetric positive-definite matrix; fails if it is not positive definite. */
    static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new ArithmeticException("matrix is not positive definite (pivot " + i + " = " + s + ")");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    static double logDet(double[][] spd) {
        double[][] l = cholesky(spd);
        double s = 0;
        for (int i = 0; i < l.length; i++) {
            s += Math.log(l[i][i]);
        }
        return 2 * s;
    }

    /** A⁻¹ B for symmetric positive-definite A (Cholesky, two triangular solves per column of B). */
    static double[][] solve(double[][] spd, double[][] b) {
        double[][] l = cholesky(spd);
        int n = l.length;
        int m = b[0].length;
        double[][] x = new double[n][m];
        for (int c = 0; c < m; c++) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double s = b[i][c];
                for (int k = 0; k < i; k++) {
                    s -= l[i][k] * y[k];
                }
                y[i] = s / l[i][i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = y[i];
                for (int k = i + 1; k < n; k++) {
                    s -= l[k][i] * x[k][c];
                }
                x[i][c] = s / l[i][i];
            }
        }
        return x;
    }

    /** Orthonormal columns spanning the columns of {@code a} (modified Gram-Schmidt, twice for stability). */
    static double[][] orthonormalColumns(double[][] a) {
        int rows = a.length;
        int cols = a[0].length;
        double[][] q = new double[rows][cols];
        for (int j = 0; j < cols; j++) {
            double[] v = new double[rows];
            for (int i = 0; i < rows; i++) {
                v[i] = a[i][j];
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double p = 0;
                    for (int i = 0; i < rows; i++) {
                        p += q[i][k] * v[i];
                    }
                    for (int i = 0; i < rows; i++) {
                        v[i] -= p * q[i][k];
                    }
                }
            }
            double norm = Math.sqrt(dot(v, v));
            if (!(norm > 0)) {
                throw new ArithmeticException("column " + j + " is linearly dependent on the previous ones");
            }
            for (int i = 0; i < rows; i++) {
                q[i][j] = v[i] / norm;
            }
        }
        return q;
    }

    /**
     * Eigen-decomposition of a symmetric matrix, eigenvalues in descending order:
     * {@code values[i]} with eigenvector column {@code vectors[.][i]}.
     */
    static Eigenpairs symmetricEigen(double[][] symmetric) {
        int n = symmetric.length;
        INDArray a = Nd4j.create(symmetric).castTo(DataType.DOUBLE).dup('f');
        INDArray ascending = Eigen.symmetricGeneralizedEigenvalues(a, true);
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            int src = n - 1 - k;
            values[k] = ascending.getDouble(src);
            for (int i = 0; i < n; i++) {
                vectors[i][k] = a.getDouble(i, src);
            }
        }
        return new Eigenpairs(values, vectors);
    }

    /** Eigenvalues (descending) and the matching eigenvector columns. */
    record Eigenpairs(double[] values, double[][] vectors) {
    }
}
