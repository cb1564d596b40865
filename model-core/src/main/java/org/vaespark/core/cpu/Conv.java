package org.vaespark.core.cpu;

import org.vaespark.core.blas.Blas;

/**
 * Convolutions on the CPU executor, channels-last (NHWC) as the graph's: each example's row [H W C]
 * is an image. A convolution is one GEMM of the unfolded input patches (im2col) with the weights
 * viewed as [k k C_in, C_out] (the YXIO layout); its transpose (the decoder's upsampling stages,
 * weights [k, k, C_out, C_in]) is the GEMM of the input with the weights viewed as [k k C_out, C_in],
 * transposed, folded back into the output (col2im): exactly the adjoint of the convolution, as a
 * transposed convolution is. Backward steps are the same GEMMs and folds the other way round.
 */
final class Conv {
    private Conv() {
    }

    /** The shape of a convolution: input H x W x C, square kernel k, stride, padding; output OH x OW. */
    record Shape(int height, int width, int channels, int kernel, int stride, int pad) {
        int outHeight() {
            return (height + 2 * pad - kernel) / stride + 1;
        }

        int outWidth() {
            return (width + 2 * pad - kernel) / stride + 1;
        }

        int patch() {
            return kernel * kernel * channels;
        }
    }

    /** x [N, H W C] to [N, OH OW O]; w [k k C, O], b [O]. */
    static Tensor conv(Tape t, Tensor x, Shape s, Tensor w, Tensor b) {
        int n = x.rows;
        int positions = s.outHeight() * s.outWidth();
        int out = w.cols;
        if (w.rows != s.patch() || x.cols != s.height() * s.width() * s.channels()) {
            throw new IllegalArgumentException("convolution " + s + " with weights [" + w.rows + ", " + out + "] on rows of " + x.cols);
        }
        float[] cols = t.make(n * positions, s.patch(), false).value;
        im2col(x.value, n, s, cols);
        Tensor y = t.make(n, positions * out, x.tracked || w.tracked || b.tracked);
        for (int r = 0; r < n * positions; r++) {
            System.arraycopy(b.value, 0, y.value, r * out, out);
        }
        Blas.sgemm(false, false, n * positions, out, s.patch(), 1f, cols, 0, s.patch(), w.value, 0, out, 1f, y.value, 0, out);
        t.onBackward(y, () -> {
            float[] dy = y.grad;
            if (w.tracked) {
                Blas.sgemm(true, false, s.patch(), out, n * positions, 1f, cols, 0, s.patch(), dy, 0, out, 1f, w.grad(), 0, out);
            }
            if (b.tracked) {
                biasGradient(dy, n * positions, out, b.grad());
            }
            if (x.tracked) {
                float[] dCols = t.make(n * positions, s.patch(), false).value;
                Blas.sgemm(false, true, n * positions, s.patch(), out, 1f, dy, 0, out, w.value, 0, out, 0f, dCols, 0, s.patch());
                col2im(dCols, n, s, x.grad());
            }
        });
        return y;
    }

    /**
     * The transposed convolution: x [N, H W I] to [N, OH OW O] where {@code s} is the shape of the convolution it is
     * the transpose of (input OH x OW x O, output H x W); w viewed as [k k O, I], b [O].
     */
    static Tensor deconv(Tape t, Tensor x, Shape s, Tensor w, Tensor b) {
        int n = x.rows;
        int positions = s.outHeight() * s.outWidth();
        int in = w.cols;
        int out = s.channels();
        if (w.rows != s.patch() || x.cols != positions * in) {
            throw new IllegalArgumentException("transposed convolution " + s + " with weights [" + w.rows + ", " + in + "] on rows of " + x.cols);
        }
        float[] cols = t.make(n * positions, s.patch(), false).value;
        Blas.sgemm(false, true, n * positions, s.patch(), in, 1f, x.value, 0, in, w.value, 0, in, 0f, cols, 0, s.patch());
        int pixels = s.height() * s.width();
        Tensor y = t.make(n, pixels * out, x.tracked || w.tracked || b.tracked);
        for (int r = 0; r < n * pixels; r++) {
            System.arraycopy(b.value, 0, y.value, r * out, out);
        }
        col2im(cols, n, s, y.value);
        t.onBackward(y, () -> {
            float[] dy = y.grad;
            float[] dCols = t.make(n * positions, s.patch(), false).value;
            im2col(dy, n, s, dCols);
            if (w.tracked) {
                Blas.sgemm(true, false, s.patch(), in, n * positions, 1f, dCols, 0, s.patch(), x.value, 0, in, 1f, w.grad(), 0, in);
            }
            if (b.tracked) {
                biasGradient(dy, n * pixels, out, b.grad());
            }
            if (x.tracked) {
                Blas.sgemm(false, false, n * positions, in, s.patch(), 1f, dCols, 0, s.patch(), w.value, 0, in, 1f, x.grad(), 0, in);
            }
        });
        return y;
    }

    private static void biasGradient(float[] dy, int rows, int width, float[] db) {
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            for (int j = 0; j < width; j++) {
                db[j] += dy[o + j];
            }
        }
    }

    /** cols[(n, oy, ox), (ky, kx, c)] = x[n, oy s - p + ky, ox s - p + kx, c], zero outside the image. */
    static void im2col(float[] x, int n, Shape s, float[] cols) {
        int h = s.height();
        int w = s.width();
        int c = s.channels();
        int k = s.kernel();
        int oh = s.outHeight();
        int ow = s.outWidth();
        int patch = s.patch();
        for (int e = 0; e < n; e++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int row = ((e * oh + oy) * ow + ox) * patch;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * s.stride() - s.pad() + ky;
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * s.stride() - s.pad() + kx;
                            int at = row + (ky * k + kx) * c;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                java.util.Arrays.fill(cols, at, at + c, 0f);
                            } else {
                                System.arraycopy(x, ((e * h + iy) * w + ix) * c, cols, at, c);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: x[n, iy, ix, c] += every patch entry that reads it. */
    static void col2im(float[] cols, int n, Shape s, float[] x) {
        int h = s.height();
        int w = s.width();
        int c = s.channels();
        int k = s.kernel();
        int oh = s.outHeight();
        int ow = s.outWidth();
        int patch = s.patch();
        for (int e = 0; e < n; e++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int row = ((e * oh + oy) * ow + ox) * patch;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * s.stride() - s.pad() + ky;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * s.stride() - s.pad() + kx;
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            int from = row + (ky * k + kx) * c;
                            int to = ((e * h + iy) * w + ix) * c;
                            for (int j = 0; j < c; j++) {
                                x[to + j] += cols[from + j];
                            }
                        }
                    }
                }
            }
        }
    }
}
