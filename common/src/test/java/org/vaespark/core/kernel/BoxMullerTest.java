package org.vaespark.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Box-Muller kernels: SIMD = scalar bit for bit, both within 2e-15 r of StrictMath (whose angle 2 pi u2 is itself rounded). */
class BoxMullerTest {
    private static final int N = 200_003;

    @Test
    void simdAndScalarGiveTheSameBits() {
        double[][] u = uniforms();
        double[] cosV = new double[N];
        double[] sinV = new double[N];
        double[] cosS = new double[N];
        double[] sinS = new double[N];
        assertTrue(BoxMuller.vectorised());
        BoxMuller.transform(u[0], u[1], cosV, sinV, N);
        BoxMuller.scalar(u[0], u[1], cosS, sinS, 0, N);
        assertArrayEquals(cosS, cosV);
        assertArrayEquals(sinS, sinV);
    }

    @Test
    void agreesWithStrictMathAndRoundsToTheSameFloatsAlmostAlways() {
        double[][] u = uniforms();
        double[] cos = new double[N];
        double[] sin = new double[N];
        BoxMuller.transform(u[0], u[1], cos, sin, N);
        int floatDifferences = 0;
        for (int i = 0; i < N; i++) {
            double r = StrictMath.sqrt(-2 * StrictMath.log(u[0][i]));
            double c = r * StrictMath.cos(2 * Math.PI * u[1][i]);
            double s = r * StrictMath.sin(2 * Math.PI * u[1][i]);
            assertEquals(c, cos[i], 2e-15 * Math.max(1, r), "cos at u=(" + u[0][i] + ", " + u[1][i] + ")");
            assertEquals(s, sin[i], 2e-15 * Math.max(1, r), "sin at u=(" + u[0][i] + ", " + u[1][i] + ")");
            if ((float) c != (float) cos[i] || (float) s != (float) sin[i]) {
                floatDifferences++;
            }
        }
        assertTrue(floatDifferences < N / 10_000, floatDifferences + " of " + N + " pairs round to other floats");
        double[] logs = {BoxMuller.log(0x1.0p-33), BoxMuller.log(0.5), BoxMuller.log(0.999999999), BoxMuller.log(Math.sqrt(0.5))};
        double[] expected = {StrictMath.log(0x1.0p-33), StrictMath.log(0.5), StrictMath.log(0.999999999), StrictMath.log(Math.sqrt(0.5))};
        for (int i = 0; i < logs.length; i++) {
            assertEquals(expected[i], logs[i], Math.ulp(expected[i]) * 2);
        }
    }

    /** Uniforms as NoiseSource makes them, plus the extremes of its 32-bit grid and the quadrant boundaries. */
    private static double[][] uniforms() {
        SplittableRandom rng = new SplittableRandom(11);
        double[] u1 = new double[N];
        double[] u2 = new double[N];
        double grid = 1.0 / 4294967296.0;
        double[] special = {0.5 * grid, 1 - 0.5 * grid, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 0.25 + grid, 0.25 - grid};
        for (int i = 0; i < N; i++) {
            u1[i] = i < special.length ? special[i] : (rng.nextInt() + 2147483648.0 + 0.5) * grid;
            u2[i] = i < special.length ? special[special.length - 1 - i] : (rng.nextInt() + 2147483648.0 + 0.5) * grid;
        }
        return new double[][]{u1, u2};
    }
}
