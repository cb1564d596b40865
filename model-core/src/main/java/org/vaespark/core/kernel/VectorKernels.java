package org.vaespark.core.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD forms of {@link PixelKernels}, loaded only when the JVM has the incubating Vector API.
 * e^x for x &le; 0 is Cephes' single-precision expf: x = n ln 2 + r with |r| &le; ln 2 / 2 (n rounded
 * by the 1.5 * 2^23 shift, since JDK 17 cannot vectorise a float-to-int cast on AVX2), a degree-5
 * polynomial for e^r, and 2^n built in the exponent bits. Relative error about 2e-7 (1 ulp).
 */
final class VectorKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();
    /** Bytes with one lane per float lane, widened by {@link #binary}; null where floats have fewer than 8 lanes (no 32-bit shape). */
    private static final VectorSpecies<Byte> BYTES = LANES >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * LANES)) : null;
    private static final float EXP_MIN = -87.3f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float SHIFT = 12582912.0f;
    private static final int SHIFT_BITS = 0x4B400000;
    private static final float[] P = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};
    /**
     * Factors (1 + e^{-|t|}) &le; 2 multiplied per lane before the logarithm: at most 2^120 per lane
     * (Float.MAX_VALUE is 2^128) and 2^960 for the product of all lanes in double.
     */
    static final int PRODUCT_RUN = Math.min(120, 960 / LANES);

    private VectorKernels() {
    }

    static double bernoulliLogProb(float[] logits, int off, float[] bias, float[] sign, int signOff, int n) {
        FloatVector positive = FloatVector.zero(F);
        FloatVector product = FloatVector.broadcast(F, 1f);
        float[] lanes = new float[LANES];
        double logs = 0;
        int run = 0;
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector l = FloatVector.fromArray(F, logits, off + i).add(FloatVector.fromArray(F, bias, i));
            FloatVector t = l.mul(FloatVector.fromArray(F, sign, signOff + i));
            FloatVector a = t.abs();
            positive = positive.add(t.add(a));
            product = product.mul(expNonPositive(a.neg()).add(1f));
            if (++run == PRODUCT_RUN) {
                product.intoArray(lanes, 0);
                logs += logOfProduct(lanes);
                product = FloatVector.broadcast(F, 1f);
                run = 0;
            }
        }
        product.intoArray(lanes, 0);
        logs += logOfProduct(lanes);
        double sum = 0.5 * positive.reduceLanes(VectorOperators.ADD) + logs;
        return PixelKernels.scalarBernoulliLogProb(logits, off, bias, sign, signOff, i, n) - sum;
    }

    /** {@link PixelKernels#binary} for whole vectors; returns where the scalar tail starts. */
    static int binary(byte[] pixels, int from, float[] out, int at, int n) {
        if (BYTES == null) {
            return 0;
        }
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector v = (FloatVector) ByteVector.fromArray(BYTES, pixels, from + i).convertShape(VectorOperators.B2F, F, 0);
            zero.blend(1f, v.compare(VectorOperators.NE, 0f)).intoArray(out, at + i);
        }
        return i;
    }

    /**
     * log of the product of a vector's lanes, stored into {@code lanes} by the caller, multiplied in
     * double in lane order (at most 2^960). The caller stores the vector itself rather than passing it
     * to a method: where C2 stops inlining in a large loop (NodeCountInliningCutoff), a vector passed
     * to a call it did not inline is boxed on every iteration of the loop that carries it (1.5 MB
     * allocated per training step and a Bernoulli pass 3.5x slower, in about half the JVMs).
     */
    static double logOfProduct(float[] lanes) {
        double p = 1;
        for (float f : lanes) {
            p *= f;
        }
        return Math.log(p);
    }

    /** {@link PixelKernels#sigmoid} on whole vectors; returns where the scalar tail starts. */
    static int sigmoid(float[] in, float[] out, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(F, in, i);
            FloatVector e = expNonPositive(x.abs().neg());
            FloatVector r = FloatVector.broadcast(F, 1f).div(e.add(1f));
            r.blend(e.mul(r), x.compare(VectorOperators.LT, 0f)).intoArray(out, i);
        }
        return i;
    }

    /** {@link PixelKernels#tanh} on whole vectors; returns where the scalar tail starts. */
    static int tanh(float[] in, float[] out, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(F, in, i);
            FloatVector e = expNonPositive(x.abs().mul(-2f));
            FloatVector t = FloatVector.broadcast(F, 1f).sub(e).div(e.add(1f));
            t.blend(t.neg(), x.compare(VectorOperators.LT, 0f)).intoArray(out, i);
        }
        return i;
    }

    /** e^x for x &le; 0 (inputs below -87.3 give e^-87.3). */
    static FloatVector expNonPositive(FloatVector x) {
        x = x.max(EXP_MIN);
        FloatVector shifted = x.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, SHIFT));
        FloatVector n = shifted.sub(SHIFT);
        IntVector exponent = shifted.reinterpretAsInts().sub(SHIFT_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        FloatVector r = x.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector y = FloatVector.broadcast(F, P[0]);
        for (int k = 1; k < P.length; k++) {
            y = y.fma(r, FloatVector.broadcast(F, P[k]));
        }
        y = y.mul(r.mul(r)).add(r).add(1f);
        return y.mul(exponent.reinterpretAsFloats());
    }
}
