package org.vaespark.core.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import org.vaespark.core.blas.Blas;
import org.vaespark.core.kernel.PixelKernels;
import org.vaespark.core.model.Activation;

/**
 * The CPU executor's record of one forward pass: each layer computes its output from its inputs
 * and, when a gradient is wanted, appends its own backward step; {@link #backward} runs those
 * steps in reverse (reverse-mode differentiation, layer by layer, as hand-written layers do in
 * llm.c). Matrix products go through {@link Blas}; everything else is a plain loop.
 *
 * <p>A tape is reused pass after pass: the k-th tensor of a pass takes the k-th buffer of the
 * previous pass when the sizes agree, so a training step allocates nothing once warm. Tensors
 * of an earlier pass are invalid after {@link #reset}.
 */
public final class Tape {
    private final boolean training;
    private final boolean parameterGradients;
    private final ArrayList<float[]> values = new ArrayList<>();
    private final ArrayList<float[]> grads = new ArrayList<>();
    private final ArrayList<Runnable> backward = new ArrayList<>();
    private int next;

    /** @param training whether passes record backward steps (false: forward only, for evaluation) */
    public Tape(boolean training) {
        this(training, true);
    }

    /**
     * @param training           whether passes record backward steps
     * @param parameterGradients whether those steps reach the model's parameters (false: gradients flow only to
     *                           {@link #variable}s, e.g. a local posterior optimised under a fixed decoder)
     */
    public Tape(boolean training, boolean parameterGradients) {
        this.training = training;
        this.parameterGradients = training && parameterGradients;
    }

    /** Starts a new pass: earlier tensors and backward steps are dropped, their buffers kept for reuse. */
    public void reset() {
        next = 0;
        backward.clear();
    }

    boolean training() {
        return training;
    }

    /** Whether the model's parameters receive gradients in this tape's passes (so they may change between passes). */
    boolean parameterGradients() {
        return parameterGradients;
    }

    /** Runs the recorded backward steps, last first. The caller has seeded the gradients of the outputs. */
    public void backward() {
        for (int i = backward.size() - 1; i >= 0; i--) {
            backward.get(i).run();
        }
    }

    /** A new tensor [rows, cols] with a buffer of this pass (contents undefined until written). */
    Tensor make(int rows, int cols, boolean tracked) {
        int slot = next++;
        int n = rows * cols;
        while (values.size() <= slot) {
            values.add(null);
            grads.add(null);
        }
        float[] v = values.get(slot);
        if (v == null || v.length != n) {
            v = new float[n];
            values.set(slot, v);
        }
        return new Tensor(this, v, rows, cols, tracked && training, slot);
    }

    /** The zeroed gradient buffer of a slot. */
    float[] gradient(int slot, int n) {
        float[] g = grads.get(slot);
        if (g == null || g.length != n) {
            g = new float[n];
            grads.set(slot, g);
        } else {
            Arrays.fill(g, 0f);
        }
        return g;
    }

    /** Records a backward step of an output that wants a gradient; it runs only when one flowed into {@code out}. */
    void onBackward(Tensor out, Runnable step) {
        if (out.tracked) {
            backward.add(() -> {
                if (out.hasGrad()) {
                    step.run();
                }
            });
        }
    }

    /** Wraps {@code v} [rows, cols] as a constant (no copy; the caller keeps it unchanged during the pass). */
    public Tensor input(float[] v, int rows, int cols) {
        if (v.length != rows * cols) {
            throw new IllegalArgumentException("input of " + v.length + " values is not [" + rows + ", " + cols + "]");
        }
        Tensor t = make(rows, cols, false);
        System.arraycopy(v, 0, t.value, 0, v.length);
        return t;
    }

    /** A parameter: its values and gradient are the arrays of {@code p} (gradients accumulate). */
    public Tensor param(CpuParameters p, String name) {
        long[] shape = p.shape(name);
        // rank >= 2: all but the last axis as rows (a [k, k, in, out] kernel is the [k k in, out] matrix)
        int cols = (int) shape[shape.length - 1];
        int rows = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            rows *= (int) shape[i];
        }
        Tensor t = new Tensor(this, p.values(name), rows, cols, parameterGradients, -1);
        t.grad = parameterGradients ? p.gradient(name) : null;
        return t;
    }

    /**
     * A leaf that is not a model parameter: its values {@code v} [rows, cols] and, on a training tape, its gradient
     * accumulated into {@code g} (which the caller zeroes). Neither array is copied.
     */
    public Tensor variable(float[] v, float[] g, int rows, int cols) {
        if (v.length != rows * cols || g.length != v.length) {
            throw new IllegalArgumentException("variable of " + v.length + " values and " + g.length + " gradients is not ["
                    + rows + ", " + cols + "]");
        }
        Tensor t = new Tensor(this, v, rows, cols, training, -1);
        t.grad = training ? g : null;
        return t;
    }

    /** x W + b: x [N, in], W [in, out], b [1, out] or [out]. */
    public Tensor dense(Tensor x, Tensor w, Tensor b) {
        int n = x.rows;
        int in = x.cols;
        int out = w.cols;
        if (w.rows != in || b.value.length != out) {
            throw new IllegalArgumentException("dense layer [" + w.rows + ", " + out + "] on rows of width " + in);
        }
        Tensor y = make(n, out, x.tracked || w.tracked || b.tracked);
        float[] yv = y.value;
        float[] bv = b.value;
        for (int r = 0; r < n; r++) {
            System.arraycopy(bv, 0, yv, r * out, out);
        }
        Blas.sgemm(false, false, n, out, in, 1f, x.value, 0, in, w.value, 0, out, 1f, yv, 0, out);
        onBackward(y, () -> {
            float[] dy = y.grad;
            if (w.tracked) {
                Blas.sgemm(true, false, in, out, n, 1f, x.value, 0, in, dy, 0, out, 1f, w.grad(), 0, out);
            }
            if (b.tracked) {
                float[] db = b.grad();
                for (int r = 0; r < n; r++) {
                    int o = r * out;
                    for (int j = 0; j < out; j++) {
                        db[j] += dy[o + j];
                    }
                }
            }
            if (x.tracked) {
                Blas.sgemm(false, true, n, in, out, 1f, dy, 0, out, w.value, 0, out, 1f, x.grad(), 0, in);
            }
        });
        return y;
    }

    /** The hidden nonlinearity, elementwise. */
    public Tensor activate(Tensor x, Activation a) {
        return switch (a) {
            case RELU -> relu(x);
            case TANH -> tanh(x);
            case SOFTPLUS -> softplus(x);
        };
    }

    public Tensor relu(Tensor x) {
        Tensor y = make(x.rows, x.cols, x.tracked);
        float[] xv = x.value;
        float[] yv = y.value;
        for (int i = 0; i < yv.length; i++) {
            yv[i] = Math.max(xv[i], 0f);
        }
        onBackward(y, () -> {
            float[] dx = x.grad();
            float[] dy = y.grad;
            for (int i = 0; i < dy.length; i++) {
                if (xv[i] > 0f) {
                    dx[i] += dy[i];
                }
            }
        });
        return y;
    }

    public Tensor tanh(Tensor x) {
        Tensor y = make(x.rows, x.cols, x.tracked);
        float[] xv = x.value;
        float[] yv = y.value;
        PixelKernels.tanh(xv, yv, yv.length);
        onBackward(y, () -> {
            float[] dx = x.grad();
            float[] dy = y.grad;
            for (int i = 0; i < dy.length; i++) {
                dx[i] += dy[i] * (1f - yv[i] * yv[i]);
            }
        });
        return y;
    }

    /** log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}), finite for every float; derivative sigmoid(x). */
    public Tensor softplus(Tensor x) {
        Tensor y = make(x.rows, x.cols, x.tracked);
        float[] xv = x.value;
        float[] yv = y.value;
        for (int i = 0; i < yv.length; i++) {
            yv[i] = softplus(xv[i]);
        }
        onBackward(y, () -> {
            float[] dx = x.grad();
            float[] dy = y.grad;
            for (int i = 0; i < dy.length; i++) {
                dx[i] += dy[i] * sigmoid(xv[i]);
            }
        });
        return y;
    }

    /** A gated layer's output a * sigmoid(g) (Dauphin et al. 2017, as in Tomczak &amp; Welling 2018). */
    public Tensor gate(Tensor a, Tensor g) {
        sameShape(a, g);
        Tensor y = make(a.rows, a.cols, a.tracked || g.tracked);
        float[] av = a.value;
        float[] gv = g.value;
        float[] yv = y.value;
        float[] s = make(a.rows, a.cols, false).value;
        PixelKernels.sigmoid(gv, s, s.length);
        for (int i = 0; i < yv.length; i++) {
            yv[i] = av[i] * s[i];
        }
        onBackward(y, () -> {
            float[] dy = y.grad;
            if (a.tracked) {
                float[] da = a.grad();
                for (int i = 0; i < dy.length; i++) {
                    da[i] += dy[i] * s[i];
                }
            }
            if (g.tracked) {
                float[] dg = g.grad();
                for (int i = 0; i < dy.length; i++) {
                    dg[i] += dy[i] * av[i] * s[i] * (1f - s[i]);
                }
            }
        });
        return y;
    }

    /** min(max(x, 0), 1): the VampPrior's hardtanh on pseudo-inputs; derivative 1 on [0, 1] (ND4J's hardtanh'). */
    public Tensor clamp01(Tensor x) {
        Tensor y = make(x.rows, x.cols, x.tracked);
        float[] xv = x.value;
        float[] yv = y.value;
        for (int i = 0; i < yv.length; i++) {
            yv[i] = Math.min(Math.max(xv[i], 0f), 1f);
        }
        onBackward(y, () -> {
            float[] dx = x.grad();
            float[] dy = y.grad;
            for (int i = 0; i < dy.length; i++) {
                float v = xv[i];
                if (v >= 0f && v <= 1f) {
                    dx[i] += dy[i];
                }
            }
        });
        return y;
    }

    /** [a, b] side by side: [N, p] and [N, q] to [N, p + q]. */
    public Tensor concat(Tensor a, Tensor b) {
        if (a.rows != b.rows) {
            throw new IllegalArgumentException("concat of " + a.rows + " and " + b.rows + " rows");
        }
        int p = a.cols;
        int q = b.cols;
        Tensor y = make(a.rows, p + q, a.tracked || b.tracked);
        for (int r = 0; r < a.rows; r++) {
            System.arraycopy(a.value, r * p, y.value, r * (p + q), p);
            System.arraycopy(b.value, r * q, y.value, r * (p + q) + p, q);
        }
        onBackward(y, () -> {
            float[] dy = y.grad;
            if (a.tracked) {
                addColumns(dy, p + q, 0, a.grad(), p, a.rows);
            }
            if (b.tracked) {
                addColumns(dy, p + q, p, b.grad(), q, b.rows);
            }
        });
        return y;
    }

    /** [B, w] repeated for each of {@code samples} samples: [S * B, w], row s * B + b. */
    public Tensor repeat(Tensor x, int samples) {
        if (samples == 1) {
            return x;
        }
        int n = x.value.length;
        Tensor y = make(x.rows * samples, x.cols, x.tracked);
        for (int s = 0; s < samples; s++) {
            System.arraycopy(x.value, 0, y.value, s * n, n);
        }
        onBackward(y, () -> {
            float[] dx = x.grad();
            float[] dy = y.grad;
            for (int s = 0; s < samples; s++) {
                int o = s * n;
                for (int i = 0; i < n; i++) {
                    dx[i] += dy[o + i];
                }
            }
        });
        return y;
    }

    /** a + b, elementwise. */
    public Tensor add(Tensor a, Tensor b) {
        return combine(a, b, 1f);
    }

    /** a - b, elementwise. */
    public Tensor sub(Tensor a, Tensor b) {
        return combine(a, b, -1f);
    }

    private Tensor combine(Tensor a, Tensor b, float sign) {
        sameShape(a, b);
        Tensor y = make(a.rows, a.cols, a.tracked || b.tracked);
        for (int i = 0; i < y.value.length; i++) {
            y.value[i] = a.value[i] + sign * b.value[i];
        }
        onBackward(y, () -> {
            float[] dy = y.grad;
            if (a.tracked) {
                float[] da = a.grad();
                for (int i = 0; i < dy.length; i++) {
                    da[i] += dy[i];
                }
            }
            if (b.tracked) {
                float[] db = b.grad();
                for (int i = 0; i < dy.length; i++) {
                    db[i] += sign * dy[i];
                }
            }
        });
        return y;
    }

    /** The same values as [rows, cols] (a copy; row-major order unchanged). */
    public Tensor reshape(Tensor x, int rows, int cols) {
        if (rows * cols != x.value.length) {
            throw new IllegalArgumentException("[" + x.rows + ", " + x.cols + "] as [" + rows + ", " + cols + "]");
        }
        Tensor y = make(rows, cols, x.tracked);
        System.arraycopy(x.value, 0, y.value, 0, x.value.length);
        onBackward(y, () -> {
            float[] dx = x.grad();
            for (int i = 0; i < dx.length; i++) {
                dx[i] += y.grad[i];
            }
        });
        return y;
    }

    /** Columns {@code from .. from + width - 1} of the noise eps [S, B, n] (row-major) as a constant [S * B, width]. */
    public Tensor noise(float[] eps, int rows, int n, int from, int width) {
        Tensor y = make(rows, width, false);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(eps, r * n + from, y.value, r * width, width);
        }
        return y;
    }

    private static void addColumns(float[] from, int fromCols, int fromCol, float[] to, int width, int rows) {
        for (int r = 0; r < rows; r++) {
            int f = r * fromCols + fromCol;
            int t = r * width;
            for (int j = 0; j < width; j++) {
                to[t + j] += from[f + j];
            }
        }
    }

    static void sameShape(Tensor a, Tensor b) {
        if (a.rows != b.rows || a.cols != b.cols) {
            throw new IllegalArgumentException("[" + a.rows + ", " + a.cols + "] against [" + b.rows + ", " + b.cols + "]");
        }
    }

    static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    /** log(1 + e^v) as max(v, 0) + log(1 + e^{-|v|}) (Math.log and Math.exp are intrinsics; log1p is not). */
    static float softplus(float v) {
        return (float) (Math.max(v, 0.0) + Math.log(1.0 + Math.exp(-Math.abs(v))));
    }

    /** tanh(v) = sign(v) (1 - 2 / (e^{2|v|} + 1)), through the exp intrinsic (Math.tanh is not one). */
    static float tanh(float v) {
        double t = 1.0 - 2.0 / (Math.exp(2.0 * Math.abs(v)) + 1.0);
        return (float) (v < 0 ? -t : t);
    }
}
