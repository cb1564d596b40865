package org.vaespark.core.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD form of {@link SparseRows#gatherRows}, loaded only when the JVM has the incubating Vector
 * API: each output row is a weighted sum of selected rows of a native matrix (the first layer of the
 * MLP encoder of Kingma &amp; Welling 2014 on a sparse binary input), one vector of columns at a time
 * with its accumulator in a register.
 */
final class VectorSparseKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VectorSparseKernels() {
    }

    /** out[r, j] = sum_{k in [start[r], start[r+1])} val[k] m[index[k], j]; m from float {@code mAt}, out from its start. */
    static void gatherRows(ByteBuffer m, int mAt, int width, int[] start, int[] index, float[] val, int n, ByteBuffer out) {
        int bound = F.loopBound(width);
        ByteBuffer mo = m.duplicate().order(ORDER);
        ByteBuffer oo = out.duplicate().order(ORDER);
        for (int r = 0; r < n; r++) {
            int from = start[r];
            int to = start[r + 1];
            for (int j = 0; j < bound; j += LANES) {
                FloatVector acc = FloatVector.zero(F);
                for (int k = from; k < to; k++) {
                    acc = FloatVector.fromByteBuffer(F, m, 4 * (mAt + index[k] * width + j), ORDER).fma(FloatVector.broadcast(F, val[k]), acc);
                }
                acc.intoByteBuffer(out, 4 * (r * width + j), ORDER);
            }
            for (int j = bound; j < width; j++) {
                float acc = 0f;
                for (int k = from; k < to; k++) {
                    acc = Math.fma(mo.getFloat(4 * (mAt + index[k] * width + j)), val[k], acc);
                }
                oo.putFloat(4 * (r * width + j), acc);
            }
        }
    }
}
