package org.vaespark.core.cpu;

/**
 * A row-major matrix [rows, cols] of the CPU executor, with its gradient once one flows into it.
 * Per-sample quantities are sample-major: [S, B, w] is held as [S * B, w] with row s * B + b, the
 * graph's order. Both arrays belong to the {@link Tape} that made the tensor and are reused by its
 * next pass.
 */
public final class Tensor {
    final float[] value;
    final int rows;
    final int cols;
    /** Whether a gradient is wanted: a parameter, or computed from one. */
    final boolean tracked;
    private final Tape tape;
    private final int slot;
    float[] grad;

    Tensor(Tape tape, float[] value, int rows, int cols, boolean tracked, int slot) {
        this.tape = tape;
        this.value = value;
        this.rows = rows;
        this.cols = cols;
        this.tracked = tracked;
        this.slot = slot;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The values, row-major; valid until the tape's next pass. */
    public float[] values() {
        return value;
    }

    /** The value at (r, c). */
    public float get(int r, int c) {
        return value[r * cols + c];
    }

    /** The gradient of the loss with respect to this tensor, zeros at first (allocated on first use). */
    float[] grad() {
        if (grad == null) {
            grad = tape.gradient(slot, value.length);
        }
        return grad;
    }

    /** True once a gradient has flowed into this tensor in the backward pass. */
    boolean hasGrad() {
        return grad != null;
    }
}
