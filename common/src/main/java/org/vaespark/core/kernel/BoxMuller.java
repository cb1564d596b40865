package org.vaespark.core.kernel;

/**
 * The Box-Muller transform (Box &amp; Muller 1958) of uniform pairs (u1, u2) in (0, 1):
 * r = sqrt(-2 ln u1), (r cos 2 pi u2, r sin 2 pi u2), in double precision. ln, sin and cos are
 * fdlibm's polynomials (Sun Microsystems, the algorithms behind StrictMath), written as plain
 * multiplies, adds and divides so that the SIMD form ({@link BoxMullerVectors}) and the scalar form
 * below give the same bits on every JVM; both are within about an ulp of StrictMath.
 * The angle is reduced exactly: 4 u2 = n + f with n an integer and |f| &lt;= 1/2, then
 * 2 pi u2 = n pi/2 + f pi/2.
 */
public final class BoxMuller {
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    static final double SQRT2 = 1.41421356237309514547;
    static final double[] LG = {6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
        2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01, 1.479819860511658591e-01};
    static final double[] S = {-1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04,
        2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10};
    static final double[] C = {4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05,
        -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11};
    static final double PIO2 = 1.5707963267948966;
    /** 1.5 * 2^52: adding and subtracting it rounds a double below 2^51 to the nearest integer. */
    static final double ROUND = 6755399441055744.0;
    /** 2^52 + 1023: the double whose bits are 0x4330000000000000 + e is 2^52 + e. */
    static final double EXPONENT_BIAS = 4503599627370496.0 + 1023;
    static final long EXPONENT_BITS = 0x4330000000000000L;
    static final long MANTISSA = 0x000FFFFFFFFFFFFFL;
    static final long ONE_BITS = 0x3FF0000000000000L;
    /** The SIMD form runs whenever the JVM was started with the Vector API module (the flags of submit/launch.properties). */
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private BoxMuller() {
    }

    /** Whether the SIMD form is in use in this JVM. */
    public static boolean vectorised() {
        return VECTOR;
    }

    /** cos[i] = r_i cos(2 pi u2_i), sin[i] = r_i sin(2 pi u2_i) with r_i = sqrt(-2 ln u1_i), for i &lt; n. */
    public static void transform(double[] u1, double[] u2, double[] cos, double[] sin, int n) {
        scalar(u1, u2, cos, sin, VECTOR ? BoxMullerVectors.boxMuller(u1, u2, cos, sin, n) : 0, n);
    }

    static void scalar(double[] u1, double[] u2, double[] cos, double[] sin, int from, int n) {
        for (int i = from; i < n; i++) {
            double r = Math.sqrt(-2.0 * log(u1[i]));
            double t = 4.0 * u2[i];
            double q = (t + ROUND) - ROUND;
            double x = (t - q) * PIO2;
            double z = x * x;
            double sx = sinPoly(x, z);
            double cx = cosPoly(z);
            boolean swap = q == 1.0 || q == 3.0;
            double c = swap ? sx : cx;
            double s = swap ? cx : sx;
            cos[i] = r * (q > 0.5 && q < 2.5 ? -c : c);
            sin[i] = r * (q > 1.5 && q < 3.5 ? -s : s);
        }
    }

    /** ln x for a normal x &gt; 0 (fdlibm e_log.c without its special cases). */
    static double log(double x) {
        long bits = Double.doubleToRawLongBits(x);
        double k = Double.longBitsToDouble((bits >>> 52) + EXPONENT_BITS) - EXPONENT_BIAS;
        double m = Double.longBitsToDouble((bits & MANTISSA) | ONE_BITS);
        if (m > SQRT2) {
            m = m * 0.5;
            k = k + 1.0;
        }
        double f = m - 1.0;
        double s = f / (2.0 + f);
        double z = s * s;
        double w = z * z;
        double t1 = w * (LG[1] + w * (LG[3] + w * LG[5]));
        double t2 = z * (LG[0] + w * (LG[2] + w * (LG[4] + w * LG[6])));
        double r = t2 + t1;
        double hfsq = 0.5 * f * f;
        return k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f);
    }

    /** sin x for |x| &lt;= pi/4, z = x^2 (fdlibm k_sin.c). */
    static double sinPoly(double x, double z) {
        double r = S[1] + z * (S[2] + z * (S[3] + z * (S[4] + z * S[5])));
        return x + z * x * (S[0] + z * r);
    }

    /** cos x for |x| &lt;= pi/4, z = x^2 (fdlibm k_cos.c). */
    static double cosPoly(double z) {
        double r = z * (C[0] + z * (C[1] + z * (C[2] + z * (C[3] + z * (C[4] + z * C[5])))));
        return 1.0 - (0.5 * z - z * r);
    }
}
