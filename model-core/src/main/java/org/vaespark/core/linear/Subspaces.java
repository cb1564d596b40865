package org.vaespark.core.linear;

import java.util.Random;

/**
 * Geometry of column spaces: principal angles between two subspaces (Björck &amp; Golub 1973) and random rotations.
 * The angles come from the sines, the singular values of (I − Q₁Q₁ᵀ) Q₂ with Q₁, Q₂ orthonormal bases; that is
 * exact for small angles, where the arccos of the singular values of Q₁ᵀQ₂ loses half the digits.
 */
public final class Subspaces {
    private Subspaces() {
    }

    /** Principal angles in degrees between the column spaces of {@code a} and {@code b} (both D x d), ascending. */
    public static double[] principalAnglesDegrees(double[][] a, double[][] b) {
        double[][] q1 = Dense.orthonormalColumns(a);
        double[][] q2 = Dense.orthonormalColumns(b);
        double[][] coefficients = Dense.multiplyTransposeA(q1, q2);
        double[][] residual = Dense.multiply(q1, coefficients);
        for (int i = 0; i < residual.length; i++) {
            for (int j = 0; j < residual[0].length; j++) {
                residual[i][j] = q2[i][j] - residual[i][j];
            }
        }
        double[] sin2 = Dense.symmetricEigen(Dense.multiplyTransposeA(residual, residual)).values();
        double[] angles = new double[sin2.length];
        for (int k = 0; k < sin2.length; k++) {
            angles[sin2.length - 1 - k] = Math.toDegrees(Math.asin(Math.min(1, Math.sqrt(Math.max(0, sin2[k])))));
        }
        return angles;
    }

    /** A random d x d orthogonal matrix: Gram-Schmidt of a standard normal one, a pure function of the seed. */
    public static double[][] randomRotation(int d, long seed) {
        Random random = new Random(seed);
        double[][] g = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                g[i][j] = random.nextGaussian();
            }
        }
        return Dense.orthonormalColumns(g);
    }
}
