package org.vaespark.core.cpu;

import org.vaespark.core.blas.Blas;

/**
 * Small layers of the CPU executor that flows, masked networks and structured models compose:
 * elementwise products and functions, row sums, column slices, products without a bias and
 * masked weights, each with its backward step.
 */
final class Elementwise {
    private Elementwise() {
    }

    /** a * b, elementwise (same shape). */
    static Tensor mul(Tape t, Tensor a, Tensor b) {
        Tape.sameShape(a, b);
        Tensor y = t.make(a.rows, a.cols, a.tracked || b.tracked);
        for (int i = 0; i < y.value.length; i++) {
            y.value[i] = a.value[i] * b.value[i];
        }
        t.onBackward(y, () -> {
            for (int i = 0; i < y.value.length; i++) {
                float g = y.grad[i];
                if (a.tracked) {
                    a.grad()[i] += g * b.value[i];
                }
                if (b.tracked) {
                    b.grad()[i] += g * a.value[i];
                }
            }
        });
        return y;
    }

    /** a [N, d] times the column c [N, 1], row by row. */
    static Tensor mulColumn(Tape t, Tensor a, Tensor c) {
        if (c.cols != 1 || c.rows != a.rows) {
            throw new IllegalArgumentException("column [" + c.rows + ", " + c.cols + "] for [" + a.rows + ", " + a.cols + "]");
        }
        int d = a.cols;
        Tensor y = t.make(a.rows, d, a.tracked || c.tracked);
        for (int r = 0; r < a.rows; r++) {
            float s = c.value[r];
            for (int j = 0; j < d; j++) {
                y.value[r * d + j] = a.value[r * d + j] * s;
            }
        }
        t.onBackward(y, () -> {
            for (int r = 0; r < a.rows; r++) {
                float s = c.value[r];
                double dc = 0;
                for (int j = 0; j < d; j++) {
                    float g = y.grad[r * d + j];
                    if (a.tracked) {
                        a.grad()[r * d + j] += g * s;
                    }
                    dc += g * a.value[r * d + j];
                }
                if (c.tracked) {
                    c.grad()[r] += (float) dc;
                }
            }
        });
        return y;
    }

    /** a [N, d] plus the column c [N, 1] in every column. */
    static Tensor addColumn(Tape t, Tensor a, Tensor c) {
        int d = a.cols;
        Tensor y = t.make(a.rows, d, a.tracked || c.tracked);
        for (int r = 0; r < a.rows; r++) {
            for (int j = 0; j < d; j++) {
                y.value[r * d + j] = a.value[r * d + j] + c.value[r];
            }
        }
        t.onBackward(y, () -> {
            for (int r = 0; r < a.rows; r++) {
                float dc = 0;
                for (int j = 0; j < d; j++) {
                    float g = y.grad[r * d + j];
                    if (a.tracked) {
                        a.grad()[r * d + j] += g;
                    }
                    dc += g;
                }
                if (c.tracked) {
                    c.grad()[r] += dc;
                }
            }
        });
        return y;
    }

    /** Sum of each row: [N, d] to [N, 1]. */
    static Tensor rowSum(Tape t, Tensor a) {
        int d = a.cols;
        Tensor y = t.make(a.rows, 1, a.tracked);
        for (int r = 0; r < a.rows; r++) {
            float s = 0f;
            for (int j = 0; j < d; j++) {
                s += a.value[r * d + j];
            }
            y.value[r] = s;
        }
        t.onBackward(y, () -> {
            float[] da = a.grad();
            for (int r = 0; r < a.rows; r++) {
                for (int j = 0; j < d; j++) {
                    da[r * d + j] += y.grad[r];
                }
            }
        });
        return y;
    }

    /** s * a + c, elementwise. */
    static Tensor affine(Tape t, Tensor a, float s, float c) {
        Tensor y = t.make(a.rows, a.cols, a.tracked);
        for (int i = 0; i < y.value.length; i++) {
            y.value[i] = s * a.value[i] + c;
        }
        t.onBackward(y, () -> {
            float[] da = a.grad();
            for (int i = 0; i < y.value.length; i++) {
                da[i] += s * y.grad[i];
            }
        });
        return y;
    }

    /** a / b, elementwise. */
    static Tensor div(Tape t, Tensor a, Tensor b) {
        Tape.sameShape(a, b);
        Tensor y = t.make(a.rows, a.cols, a.tracked || b.tracked);
        for (int i = 0; i < y.value.length; i++) {
            y.value[i] = a.value[i] / b.value[i];
        }
        t.onBackward(y, () -> {
            for (int i = 0; i < y.value.length; i++) {
                float g = y.grad[i] / b.value[i];
                if (a.tracked) {
                    a.grad()[i] += g;
                }
                if (b.tracked) {
                    b.grad()[i] -= g * y.value[i];
                }
            }
        });
        return y;
    }

    static Tensor sigmoid(Tape t, Tensor a) {
        Tensor y = t.make(a.rows, a.cols, a.tracked);
        for (int i = 0; i < y.value.length; i++) {
            y.value[i] = Tape.sigmoid(a.value[i]);
        }
        t.onBackward(y, () -> {
            float[] da = a.grad();
            for (int i = 0; i < y.value.length; i++) {
                da[i] += y.grad[i] * y.value[i] * (1f - y.value[i]);
            }
        });
        return y;
    }

    static Tensor exp(Tape t, Tensor a) {
        Tensor y = t.make(a.rows, a.cols, a.tracked);
        for (int i = 0; i < y.value.length; i++) {
            y.value[i] = (float) Math.exp(a.value[i]);
        }
        t.onBackward(y, () -> {
            float[] da = a.grad();
            for (int i = 0; i < y.value.length; i++) {
                da[i] += y.grad[i] * y.value[i];
            }
        });
        return y;
    }

    /** log |a|, elementwise. */
    static Tensor logAbs(Tape t, Tensor a) {
        Tensor y = t.make(a.rows, a.cols, a.tracked);
        for (int i = 0; i < y.value.length; i++) {
            y.value[i] = (float) Math.log(Math.abs(a.value[i]));
        }
        t.onBackward(y, () -> {
            float[] da = a.grad();
            for (int i = 0; i < y.value.length; i++) {
                da[i] += y.grad[i] / a.value[i];
            }
        });
        return y;
    }

    /** Columns {@code from .. from + width - 1} of a. */
    static Tensor columns(Tape t, Tensor a, int from, int width) {
        Tensor y = t.make(a.rows, width, a.tracked);
        for (int r = 0; r < a.rows; r++) {
            System.arraycopy(a.value, r * a.cols + from, y.value, r * width, width);
        }
        t.onBackward(y, () -> {
            float[] da = a.grad();
            for (int r = 0; r < a.rows; r++) {
                for (int j = 0; j < width; j++) {
                    da[r * a.cols + from + j] += y.grad[r * width + j];
                }
            }
        });
        return y;
    }

    /** x W without a bias: x [N, in], W [in, out]. */
    static Tensor matmul(Tape t, Tensor x, Tensor w) {
        int n = x.rows;
        int in = x.cols;
        int out = w.cols;
        if (w.rows != in) {
            throw new IllegalArgumentException("product with [" + w.rows + ", " + out + "] on rows of width " + in);
        }
        Tensor y = t.make(n, out, x.tracked || w.tracked);
        Blas.sgemm(false, false, n, out, in, 1f, x.value, 0, in, w.value, 0, out, 0f, y.value, 0, out);
        t.onBackward(y, () -> {
            if (w.tracked) {
                Blas.sgemm(true, false, in, out, n, 1f, x.value, 0, in, y.grad, 0, out, 1f, w.grad(), 0, out);
            }
            if (x.tracked) {
                Blas.sgemm(false, true, n, in, out, 1f, y.grad, 0, out, w.value, 0, out, 1f, x.grad(), 0, in);
            }
        });
        return y;
    }

    /** W * M for a constant 0/1 mask M of W's shape (MADE, Germain et al. 2015). */
    static Tensor masked(Tape t, Tensor w, float[] mask) {
        if (mask.length != w.value.length) {
            throw new IllegalArgumentException("mask of " + mask.length + " values for a weight of " + w.value.length);
        }
        Tensor y = t.make(w.rows, w.cols, w.tracked);
        for (int i = 0; i < mask.length; i++) {
            y.value[i] = w.value[i] * mask[i];
        }
        t.onBackward(y, () -> {
            float[] dw = w.grad();
            for (int i = 0; i < mask.length; i++) {
                dw[i] += y.grad[i] * mask[i];
            }
        });
        return y;
    }
}
