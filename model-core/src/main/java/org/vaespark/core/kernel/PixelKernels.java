package org.vaespark.core.kernel;

/**
 * The per-pixel work of a Bernoulli decoder in one pass: for logits g + b and a binary image x,
 * log p(x|z) = sum_i x_i l_i - softplus(l_i) = -sum_i softplus(s_i l_i) with s_i = 1 - 2 x_i
 * (docs/math.md, Likelihoods: Bernoulli). softplus(t) = max(t, 0) + log(1 + e^{-|t|}) needs one
 * exponential per pixel; the logarithms are taken of running products of (1 + e^{-|t|}) &le; 2, one
 * per row, not one per pixel. The SIMD form ({@link VectorKernels}, the JDK's incubating Vector
 * API) is used whenever the JVM was started with {@code --add-modules=jdk.incubator.vector}, as
 * {@code submit/launch.properties} starts every JVM; otherwise a scalar loop computes the same sum.
 */
public final class PixelKernels {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private PixelKernels() {
    }

    /** Whether the SIMD kernels are in use in this JVM. */
    public static boolean vectorised() {
        return VECTOR;
    }

    /**
     * log p(x|z) of one row: -sum_i softplus(sign[signOff + i] * (logits[off + i] + bias[i])), i &lt; n.
     *
     * @param sign 1 - 2 x_i of the row's image, from {@code signOff}
     */
    public static double bernoulliLogProb(float[] logits, int off, float[] bias, float[] sign, int signOff, int n) {
        return VECTOR ? VectorKernels.bernoulliLogProb(logits, off, bias, sign, signOff, n)
                : scalarBernoulliLogProb(logits, off, bias, sign, signOff, 0, n);
    }

    /**
     * out[at + i] = 1 where pixels[from + i] is not 0, else 0, i &lt; n: a statically binarized image
     * as model inputs (train/PixelEncoding). The SIMD form widens one vector of bytes at a time;
     * the scalar loop below is the same function and was 5x slower here (C2 does not vectorise it).
     */
    public static void binary(byte[] pixels, int from, float[] out, int at, int n) {
        int i = VECTOR ? VectorKernels.binary(pixels, from, out, at, n) : 0;
        for (; i < n; i++) {
            out[at + i] = pixels[from + i] == 0 ? 0f : 1f;
        }
    }

    static double scalarBernoulliLogProb(float[] logits, int off, float[] bias, float[] sign, int signOff, int from, int n) {
        double sum = 0;
        for (int i = from; i < n; i++) {
            double t = sign[signOff + i] * (logits[off + i] + bias[i]);
            sum += Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
        }
        return -sum;
    }

    /** out[i] = sigmoid(in[i]) = 1 / (1 + e^{-x}), from one e^{-|x|} per value (SIMD where available). */
    public static void sigmoid(float[] in, float[] out, int n) {
        int i = VECTOR ? VectorKernels.sigmoid(in, out, n) : 0;
        for (; i < n; i++) {
            double e = Math.exp(-Math.abs(in[i]));
            out[i] = (float) (in[i] >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e));
        }
    }

    /** out[i] = tanh(in[i]) = sign(x) (1 - e^{-2|x|}) / (1 + e^{-2|x|}) (SIMD where available). */
    public static void tanh(float[] in, float[] out, int n) {
        int i = VECTOR ? VectorKernels.tanh(in, out, n) : 0;
        for (; i < n; i++) {
            double e = Math.exp(-2.0 * Math.abs(in[i]));
            double t = (1.0 - e) / (1.0 + e);
            out[i] = (float) (in[i] < 0 ? -t : t);
        }
    }
}
