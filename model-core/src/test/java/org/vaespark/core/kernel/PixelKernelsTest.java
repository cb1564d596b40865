package org.vaespark.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fused Bernoulli pass (SIMD and scalar) against a plain double-precision sum, extremes
 * included; and the widening of binarized pixels to model inputs against its definition.
 */
class PixelKernelsTest {
    private static final float[] EXTREMES = {-1e4f, -200f, -88.7f, -87.3f, -30f, -1e-3f, 0f, -0f, 1e-3f, 30f, 87.3f, 88.7f, 200f, 1e4f, 1e-40f};

    @Test
    void theTestRunsTheSimdKernelsAsEveryLaunchedJvmDoes() {
        assertTrue(PixelKernels.vectorised(), "surefire's argLine carries --add-modules=jdk.incubator.vector from submit/launch.properties");
    }

    @Test
    void matchesTheDoubleSumOnRandomAndExtremeLogits() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int n : new int[]{0, 1, 7, 13, 784, 3072, 12288}) {
            for (double scale : new double[]{0.1, 3, 12}) {
                int off = 5;
                float[] logits = new float[off + n];
                float[] bias = new float[n];
                float[] sign = new float[3 + n];
                for (int i = 0; i < n; i++) {
                    logits[off + i] = i % 11 == 0 ? EXTREMES[(i / 11) % EXTREMES.length] : (float) (rng.nextGaussian() * scale);
                    bias[i] = (float) (rng.nextGaussian() * 0.5);
                    sign[3 + i] = rng.nextBoolean() ? 1f : -1f;
                }
                double expected = reference(logits, off, bias, sign, 3, n);
                double tolerance = 1e-6 * Math.abs(expected) + 1e-5;
                assertEquals(expected, PixelKernels.bernoulliLogProb(logits, off, bias, sign, 3, n), tolerance, "n=" + n + " scale=" + scale);
                assertEquals(expected, PixelKernels.scalarBernoulliLogProb(logits, off, bias, sign, 3, 0, n), tolerance, "scalar n=" + n);
            }
        }
    }

    @Test
    void aCertainPixelCostsNothingAndAnImpossibleOneCostsItsLogit() {
        int n = 64;
        float[] logits = new float[n];
        float[] sign = new float[n];
        java.util.Arrays.fill(logits, 1000f);
        java.util.Arrays.fill(sign, -1f);
        assertEquals(0, PixelKernels.bernoulliLogProb(logits, 0, new float[n], sign, 0, n), 1e-30);
        sign[10] = 1f;
        assertEquals(-1000, PixelKernels.bernoulliLogProb(logits, 0, new float[n], sign, 0, n), 1e-3);
    }

    @Test
    void binaryPixelsAreOneWhereverTheByteIsNotZero() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int n : new int[]{0, 1, 7, 8, 9, 31, 784, 3072}) {
            byte[] pixels = new byte[3 + n];
            for (int i = 0; i < pixels.length; i++) {
                int kind = rng.nextInt(4);
                pixels[i] = (byte) (kind == 0 ? rng.nextInt(256) : kind == 1 ? 1 : kind == 2 ? -1 : 0);
            }
            float[] out = new float[5 + n + 2];
            java.util.Arrays.fill(out, 7f);
            PixelKernels.binary(pixels, 3, out, 5, n);
            for (int i = 0; i < out.length; i++) {
                float expected = i < 5 || i >= 5 + n ? 7f : pixels[3 + i - 5] != 0 ? 1f : 0f;
                assertEquals(expected, out[i], "n=" + n + " at " + i);
            }
        }
    }

    /** -sum softplus(s (l + b)), with softplus(t) = log(1 + e^t) evaluated stably in double. */
    private static double reference(float[] logits, int off, float[] bias, float[] sign, int signOff, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double t = (double) sign[signOff + i] * (float) (logits[off + i] + bias[i]);
            sum += t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
        }
        return -sum;
    }

    @Test
    void sigmoidAndTanhMatchTheirDefinitionsWithTailsAndExtremes() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int n : new int[]{1, 7, 8, 33, 1000}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) ((rng.nextDouble() * 2 - 1) * (i % 5 == 0 ? 120 : 6));
            }
            x[0] = 0f;
            float[] s = new float[n];
            float[] t = new float[n];
            PixelKernels.sigmoid(x, s, n);
            PixelKernels.tanh(x, t, n);
            for (int i = 0; i < n; i++) {
                double sig = 1.0 / (1.0 + Math.exp(-(double) x[i]));
                org.junit.jupiter.api.Assertions.assertEquals(sig, s[i], 1e-6 * Math.max(sig, 1e-30) + 1e-37, "sigmoid(" + x[i] + ")");
                org.junit.jupiter.api.Assertions.assertEquals(Math.tanh(x[i]), t[i], 2e-7, "tanh(" + x[i] + ")");
            }
        }
    }
}
