package org.vaespark.core.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A minibatch x [B, D] held by its non-zero entries, and the first encoder layer's two products
 * with it: x W [B, H] forward and x' G [D, H] for the weight gradient (Kingma &amp; Welling 2014,
 * App. C). Binarized MNIST has about one pixel in seven on, so summing the rows of W (or of G) that
 * the non-zero pixels select does a seventh of the dense GEMM's work; the sums are the same up to
 * float rounding (they run in pixel order instead of the GEMM's blocking). {@link #load} declines
 * inputs denser than {@link #MAX_DENSITY}, which the caller then multiplies with a dense GEMM.
 */
final class SparseRows {
    /** Above this fraction of non-zero inputs a dense GEMM is faster. */
    static final double MAX_DENSITY = 0.35;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private final int dim;
    private int rows;
    private final int[] rowStart;
    private int[] cols;
    private float[] vals;
    private final int[] colStart;
    private int[] colRows;
    private float[] colVals;

    SparseRows(int maxRows, int dim) {
        this.dim = dim;
        this.rowStart = new int[maxRows + 1];
        this.colStart = new int[dim + 1];
        this.cols = new int[0];
        this.vals = new float[0];
        this.colRows = new int[0];
        this.colVals = new float[0];
    }

    /** Indexes the non-zeros of the first {@code b} rows of {@code x}; false (and nothing usable) when there are too many. */
    boolean load(float[] x, int b) {
        int n = 0;
        for (int i = 0; i < b * dim; i++) {
            if (x[i] != 0f) {
                n++;
            }
        }
        if (n > MAX_DENSITY * b * dim) {
            return false;
        }
        if (cols.length < n) {
            cols = new int[n];
            vals = new float[n];
            colRows = new int[n];
            colVals = new float[n];
        }
        rows = b;
        java.util.Arrays.fill(colStart, 0);
        int k = 0;
        for (int r = 0; r < b; r++) {
            rowStart[r] = k;
            for (int i = 0; i < dim; i++) {
                float v = x[r * dim + i];
                if (v != 0f) {
                    cols[k] = i;
                    vals[k++] = v;
                    colStart[i + 1]++;
                }
            }
        }
        rowStart[b] = k;
        for (int i = 0; i < dim; i++) {
            colStart[i + 1] += colStart[i];
        }
        int[] next = java.util.Arrays.copyOf(colStart, dim);
        for (int r = 0; r < b; r++) {
            for (int j = rowStart[r]; j < rowStart[r + 1]; j++) {
                int at = next[cols[j]]++;
                colRows[at] = r;
                colVals[at] = vals[j];
            }
        }
        return true;
    }

    /**
     * out = x W: row r of out [rows, width] is sum over the non-zeros x[r, i] of x[r, i] W[i, :].
     * W [dim, width] starts at float {@code weightAt} of {@code weights}; both native buffers.
     */
    void times(ByteBuffer weights, int weightAt, int width, ByteBuffer out) {
        if (PixelKernels.vectorised()) {
            VectorSparseKernels.gatherRows(weights, weightAt, width, rowStart, cols, vals, rows, out);
            return;
        }
        gatherRows(weights.duplicate().order(ORDER), weightAt, width, rowStart, cols, vals, rows, out.duplicate().order(ORDER), 0);
    }

    /** grad = x' G: row i of grad [dim, width] is sum over the non-zeros x[r, i] of x[r, i] G[r, :] (zero for pixels never on). */
    void transposeTimes(ByteBuffer g, int width, ByteBuffer grad, int gradAt) {
        if (PixelKernels.vectorised()) {
            VectorSparseKernels.gatherRows(g, 0, width, colStart, colRows, colVals, dim, grad.duplicate().position(4 * gradAt).slice());
            return;
        }
        gatherRows(g.duplicate().order(ORDER), 0, width, colStart, colRows, colVals, dim, grad.duplicate().order(ORDER), gradAt);
    }

    /** out[r, j] = sum_{k in [start[r], start[r+1])} val[k] m[index[k], j], for j from 0: the scalar form. */
    static void gatherRows(ByteBuffer m, int mAt, int width, int[] start, int[] index, float[] val, int n, ByteBuffer out, int outAt) {
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                float acc = 0f;
                for (int k = start[r]; k < start[r + 1]; k++) {
                    acc = Math.fma(m.getFloat(4 * (mAt + index[k] * width + j)), val[k], acc);
                }
                out.putFloat(4 * (outAt + r * width + j), acc);
            }
        }
    }
}
