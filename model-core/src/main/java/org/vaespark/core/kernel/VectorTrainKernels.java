package org.vaespark.core.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD forms of {@link TrainKernels}, loaded only when the JVM has the incubating Vector API. Each
 * returns where its scalar tail starts (or computes the tail itself); e^x is
 * {@link VectorKernels#expNonPositive} and the softplus logarithms are taken of running products,
 * as in {@link VectorKernels#bernoulliLogProb}.
 */
final class VectorTrainKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VectorTrainKernels() {
    }

    static double bernoulliRow(float[] logits, int off, float[] bias, float[] x, int xOff, int n, float scale, float[] biasGrad) {
        FloatVector linear = FloatVector.zero(F);
        FloatVector product = FloatVector.broadcast(F, 1f);
        FloatVector one = FloatVector.broadcast(F, 1f);
        float[] lanes = new float[LANES];
        double logs = 0;
        int run = 0;
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector l = FloatVector.fromArray(F, logits, off + i).add(FloatVector.fromArray(F, bias, i));
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            FloatVector a = l.abs();
            FloatVector e = VectorKernels.expNonPositive(a.neg());
            FloatVector onePlus = e.add(1f);
            // x l - max(l, 0), max(l, 0) = (l + |l|) / 2 exactly
            linear = linear.add(xv.mul(l).sub(l.add(a).mul(0.5f)));
            product = product.mul(onePlus);
            if (++run == VectorKernels.PRODUCT_RUN) {
                product.intoArray(lanes, 0);
                logs += VectorKernels.logOfProduct(lanes);
                product = one;
                run = 0;
            }
            FloatVector r = one.div(onePlus);
            FloatVector sigmoid = r.blend(e.mul(r), l.compare(VectorOperators.LT, 0f));
            FloatVector d = sigmoid.sub(xv).mul(scale);
            d.intoArray(logits, off + i);
            d.add(FloatVector.fromArray(F, biasGrad, i)).intoArray(biasGrad, i);
        }
        product.intoArray(lanes, 0);
        logs += VectorKernels.logOfProduct(lanes);
        double sum = linear.reduceLanes(VectorOperators.ADD) - logs;
        return sum + TrainKernels.scalarBernoulliRow(logits, off, bias, x, xOff, i, n, scale, biasGrad);
    }

    static int biasActivation(ByteBuffer out, int rows, int cols, float[] bias, boolean relu) {
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int row = 4 * r * cols;
            for (int i = 0; i < bound; i += LANES) {
                int at = row + 4 * i;
                FloatVector a = FloatVector.fromByteBuffer(F, out, at, ORDER).add(FloatVector.fromArray(F, bias, i));
                (relu ? a.max(0f) : a).intoByteBuffer(out, at, ORDER);
            }
        }
        return bound;
    }

    static int activationBackward(ByteBuffer grad, ByteBuffer out, int rows, int cols, boolean relu, float[] sums) {
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int row = 4 * r * cols;
            for (int i = 0; i < bound; i += LANES) {
                int at = row + 4 * i;
                FloatVector h = FloatVector.fromByteBuffer(F, out, at, ORDER);
                FloatVector g = FloatVector.fromByteBuffer(F, grad, at, ORDER);
                FloatVector d = relu ? g.blend(0f, h.compare(VectorOperators.LE, 0f)) : g.mul(h.mul(h).neg().add(1f));
                d.intoByteBuffer(grad, at, ORDER);
                d.add(FloatVector.fromArray(F, sums, i)).intoArray(sums, i);
            }
        }
        return bound;
    }

    static int adam(float[] p, float[] g, float[] mIn, int mInAt, float[] vIn, int vInAt, float[] m, int mAt, float[] v, int vAt, int n,
                    TrainKernels.AdamStep s) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector gv = FloatVector.fromArray(F, g, i);
            FloatVector mNew = FloatVector.fromArray(F, mIn, mInAt + i).mul(s.beta1()).add(gv.mul(s.oneMinusBeta1()));
            FloatVector vNew = FloatVector.fromArray(F, vIn, vInAt + i).mul(s.beta2()).add(gv.mul(s.oneMinusBeta2()).mul(gv));
            mNew.intoArray(m, mAt + i);
            vNew.intoArray(v, vAt + i);
            FloatVector step = mNew.mul(s.c1()).div(vNew.sqrt().mul(s.c2()).add(s.epsilon()));
            FloatVector.fromArray(F, p, i).sub(step).intoArray(p, i);
        }
        return i;
    }
}
