package org.vaespark.core.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The loss gradient of the ELBO (Kingma &amp; Welling 2014, eq. 10, with the reparameterisation
 * z = mu + sigma * eps and the analytic KL of App. B) for the reference family, written out by hand:
 * the forward and backward pass of the MLP encoder and decoder as one BLAS GEMM per matrix product
 * into buffers reused across steps (the two Gaussian heads as one GEMM, {@link DenseLayout#headWeights}),
 * and every elementwise step one pass ({@link TrainKernels}).
 * It computes what structure/OneLayerVae's graph differentiates for the ELBO objective:
 * loss = -(mean over S x B of log p(x|z) - beta * mean over B of KL), Bernoulli log p(x|z).
 * Parameters and gradients live in flat native buffers laid out by {@link DenseLayout}.
 */
public final class DenseVae implements AutoCloseable {
    private final int pixels;
    private final int latent;
    private final boolean relu;
    private final DenseLayout layout;
    private final INDArray params;
    private final INDArray grads;
    private final FloatBuffer paramValues;
    private final FloatBuffer gradValues;
    private final DenseStack encoder;
    private final DenseStack decoder;
    private final VaeConfig config;
    private final Map<String, INDArray> views = new HashMap<>();
    private final INDArray headWeights;
    private final INDArray headWeightGrads;
    private final int headBiasAt;
    private final DenseGemms gemms;
    private final int outBiasAt;
    /** The output layer's first column of the helper's part on a GEMM pair (a multiple of 16 floats), else the width. */
    private final int outputSplit;
    /** The output bias and its gradient, one array per column part. */
    private final float[][] outBias;
    private final float[][] outBiasGrad;
    private DenseBuffers buf;

    public DenseVae(VaeConfig c, DenseLayout layout) {
        this(c, layout, DenseGemms.sequential());
    }

    /**
     * The network for a task of {@code threads} cores: at exactly 2, the step's GEMMs run two at a
     * time on one BLAS thread each ({@link DenseGemms#concurrent} with column halves: 11-13% faster
     * per step than one GEMM at a time on 2 BLAS threads on the 2-core machine the path was measured
     * on; neither is bit-identical to 1 thread); otherwise one at a time, threaded by BLAS.
     */
    public static DenseVae forThreads(VaeConfig c, DenseLayout layout, int threads) {
        return new DenseVae(c, layout, threads == 2 ? DenseGemms.concurrent(true) : DenseGemms.sequential());
    }

    /** The two threads this network's GEMMs run on when it runs them in pairs, else null. */
    TaskPair pair() {
        return gemms.pair();
    }

    /** How many BLAS threads this network's GEMMs want when the task has {@code threads} cores. */
    public int blasThreads(int threads) {
        return gemms.isConcurrent() ? 1 : threads;
    }

    /**
     * @param gemms how the step's GEMMs run: one after the other, each threaded by BLAS, or
     *              independent ones two at a time ({@link DenseGemms#concurrent})
     */
    DenseVae(VaeConfig c, DenseLayout layout, DenseGemms gemms) {
        this.gemms = gemms;
        this.config = c;
        this.pixels = c.inputDim();
        this.latent = c.latentDim();
        this.relu = c.activation() == Activation.RELU;
        this.layout = layout;
        this.params = Nd4j.createUninitialized(DataType.FLOAT, layout.total());
        this.grads = Nd4j.zeros(DataType.FLOAT, layout.total());
        this.paramValues = floats(params);
        this.gradValues = floats(grads);
        this.encoder = new DenseStack(layout, params, grads, VaeNames::encoderLayer, c.encoderHidden().size());
        this.decoder = new DenseStack(layout, params, grads, VaeNames::decoderLayer, c.decoderHidden().size());
        this.headWeights = layout.headWeights(params);
        this.headWeightGrads = layout.headWeights(grads);
        this.headBiasAt = layout.offset(VaeNames.bias(VaeNames.ENC_MU));
        this.outBiasAt = layout.offset(VaeNames.bias(VaeNames.DEC_OUT));
        this.outputSplit = gemms.pair() == null ? pixels : Math.min(pixels, (pixels / 2 + 15) / 16 * 16);
        this.outBias = new float[][]{new float[outputSplit], new float[pixels - outputSplit]};
        this.outBiasGrad = new float[][]{new float[outputSplit], new float[pixels - outputSplit]};
    }

    /** The flat native parameter buffer (read by the optimizer in place). */
    public ByteBuffer parameterBytes() {
        return params.data().asNio();
    }

    /** The flat native gradient buffer written by {@link #gradient}. */
    public ByteBuffer gradientBytes() {
        return grads.data().asNio();
    }

    public void setParameters(float[] flat) {
        paramValues.put(0, flat);
    }

    /** Loads the parameters from {@code source[at, at + total)}, in the layout's order. */
    public void setParameters(float[] source, int at) {
        paramValues.put(0, source, at, layout.total());
    }

    /** Copies the parameters into {@code out[at, at + total)}, in the layout's order. */
    public void copyParameters(float[] out, int at) {
        paramValues.get(0, out, at, layout.total());
    }

    /** Loads named parameters straight into the flat native buffer. */
    public void setParameters(NamedArrays named) {
        layout.write(named, paramValues);
    }

    /** The parameters as named arrays, copied straight out of the flat native buffer. */
    public NamedArrays namedParameters() {
        return layout.read(paramValues);
    }

    /** The model this network was built for. */
    public VaeConfig config() {
        return config;
    }

    public DenseLayout layout() {
        return layout;
    }

    public float[] parameters() {
        float[] flat = new float[layout.total()];
        paramValues.get(0, flat);
        return flat;
    }

    public float[] gradients() {
        float[] flat = new float[layout.total()];
        gradValues.get(0, flat);
        return flat;
    }

    /**
     * Writes the loss gradient of one minibatch into the gradient buffer.
     *
     * @param x      inputs [B, D], row-major
     * @param eps    standard-normal noise [S, B, d]
     * @param beta   the KL weight of this step
     * @param logPx  out: log p(x|z) [S * B], row s * B + b
     * @param kl     out: the analytic KL(q(z|x) || N(0, I)) of each example [B]
     */
    public void gradient(float[] x, float[] eps, float beta, double[] logPx, double[] kl) {
        int b = x.length / pixels;
        int samples = eps.length / (b * latent);
        if (buf == null || buf.batch != b || buf.rows != b * samples) {
            if (buf != null) {
                buf.close();
            }
            buf = new DenseBuffers(config, b, samples);
        }
        floats(buf.x).put(0, x, 0, b * pixels);
        INDArray h = encoder.forward(buf.x, buf.encoderHidden, relu, gemms);
        gemms.forward(h, headWeights, buf.head);
        buf.sample(eps, kl, paramValues, headBiasAt);
        INDArray g = decoder.forward(buf.z, buf.decoderHidden, relu, gemms);
        gemms.forward(g, view(VaeNames.weight(VaeNames.DEC_OUT)), buf.logits);
        outputLayer(x, logPx);

        // Backward, from dL/dlogits in buf.logits.
        gemms.backward(g, buf.logits, view(VaeNames.weight(VaeNames.DEC_OUT)), view(grads, VaeNames.weight(VaeNames.DEC_OUT)),
                decoder.outputGradient(buf.decoderGrad, buf.dz));
        decoder.backward(buf.z, buf.decoderHidden, buf.decoderGrad, buf.dz, relu, gemms);
        buf.latentGradient(eps, beta, gradValues, headBiasAt);
        INDArray dh = encoder.outputGradient(buf.encoderGrad, null);
        gemms.backward(h, buf.dhead, headWeights, headWeightGrads, dh);
        if (dh != null) {
            encoder.backward(buf.x, buf.encoderHidden, buf.encoderGrad, null, relu, gemms);
        }
    }

    /**
     * log p(x|z) of every row from the logits (plus the output bias), in one pass that also
     * leaves dL/dlogits = (sigmoid(l) - x) / (S B) in buf.logits and its column sums in the bias
     * gradient. On a GEMM pair the two threads take a column range each: a column's gradient and
     * bias sum see the same floats in the same order as in one pass, and a row's log p(x|z) is the
     * sum of its two ranges.
     */
    private void outputLayer(float[] x, double[] logPx) {
        TaskPair pair = gemms.pair();
        if (pair == null) {
            outputColumns(x, logPx, 0, 0);
            return;
        }
        double[] high = buf.logPxHigh;
        pair.run(() -> outputColumns(x, high, outputSplit, 1), () -> outputColumns(x, logPx, 0, 0));
        for (int r = 0; r < buf.rows; r++) {
            logPx[r] += high[r];
        }
    }

    /** {@link #outputLayer} on columns [from, from + width of {@code part}) into {@code sums}, one per row. */
    private void outputColumns(float[] x, double[] sums, int from, int part) {
        int b = buf.batch;
        int n = buf.rows;
        float[] bias = outBias[part];
        float[] biasGrad = outBiasGrad[part];
        int width = bias.length;
        float[] logits = buf.logitRows;
        FloatBuffer values = floats(buf.logits);
        for (int r = 0; r < n; r++) {
            values.get(r * pixels + from, logits, r * pixels + from, width);
        }
        paramValues.get(outBiasAt + from, bias);
        java.util.Arrays.fill(biasGrad, 0f);
        float scale = 1f / n;
        for (int r = 0; r < n; r++) {
            sums[r] = TrainKernels.bernoulliRow(logits, r * pixels + from, bias, x, (r % b) * pixels + from, width, scale, biasGrad);
        }
        for (int r = 0; r < n; r++) {
            values.put(r * pixels + from, logits, r * pixels + from, width);
        }
        gradValues.put(outBiasAt + from, biasGrad);
    }

    private INDArray view(String name) {
        return view(params, name);
    }

    private INDArray view(INDArray flat, String name) {
        return views.computeIfAbsent(flat == params ? name : "grad:" + name, k -> layout.view(flat, name));
    }

    /** c = a' b', a' and b' each the matrix or its transpose ({@link DenseGemms#gemm}). */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB) {
        DenseGemms.gemm(a, b, c, transposeA, transposeB);
    }

    /** The floats of a native array (from its first element). */
    static FloatBuffer floats(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public void close() {
        gemms.close();
        params.close();
        grads.close();
        if (buf != null) {
            buf.close();
        }
    }
}
