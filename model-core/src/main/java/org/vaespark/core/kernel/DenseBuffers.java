package org.vaespark.core.kernel;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.VaeConfig;

/**
 * The activations and activation gradients of one minibatch shape (B examples, S samples) of
 * {@link DenseVae}, allocated once and reused by every step, and the latent layer's work in plain
 * Java: the reparameterisation z = mu + sigma * eps (Kingma &amp; Welling 2014, eq. 10) with the
 * analytic KL of App. B, and its backward pass. Rows of the decoder's arrays are r = s * B + b.
 */
final class DenseBuffers implements AutoCloseable {
    final int batch;
    final int rows;
    private final int latent;
    final INDArray x;
    final List<INDArray> encoderHidden = new ArrayList<>();
    final List<INDArray> encoderGrad = new ArrayList<>();
    /** Both Gaussian heads before their biases, [B, 2d]: row b is (mu_b, logvar_b). */
    final INDArray head;
    final INDArray z;
    final List<INDArray> decoderHidden = new ArrayList<>();
    final List<INDArray> decoderGrad = new ArrayList<>();
    final INDArray logits;
    final INDArray dz;
    /** The loss gradient of both heads, [B, 2d], laid out as {@link #head}. */
    final INDArray dhead;
    final float[] logitRows;
    /** log p(x|z) of each row over the helper's column part of the output layer (DenseVae#outputLayer). */
    final double[] logPxHigh;
    private final float[] headRows;
    private final float[] headBias;
    private final float[] muRows;
    private final float[] sigma;
    /** exp(logvar) of each (example, latent), in double. */
    private final double[] variance;
    private final float[] zRows;

    DenseBuffers(VaeConfig c, int batch, int samples) {
        this.batch = batch;
        this.rows = batch * samples;
        this.latent = c.latentDim();
        int pixels = c.inputDim();
        this.x = matrix(batch, pixels);
        for (int w : c.encoderHidden()) {
            encoderHidden.add(matrix(batch, w));
            encoderGrad.add(matrix(batch, w));
        }
        this.head = matrix(batch, 2 * latent);
        this.z = matrix(rows, latent);
        for (int w : c.decoderHidden()) {
            decoderHidden.add(matrix(rows, w));
            decoderGrad.add(matrix(rows, w));
        }
        this.logits = matrix(rows, pixels);
        this.dz = matrix(rows, latent);
        this.dhead = matrix(batch, 2 * latent);
        this.logitRows = new float[rows * pixels];
        this.logPxHigh = new double[rows];
        this.headRows = new float[batch * 2 * latent];
        this.headBias = new float[2 * latent];
        this.muRows = new float[batch * latent];
        this.sigma = new float[batch * latent];
        this.variance = new double[batch * latent];
        this.zRows = new float[rows * latent];
    }

    /**
     * mu and logvar from {@link #head} plus the heads' biases (at {@code biasAt} of {@code params},
     * mu's then logvar's), then z = eps * exp(logvar / 2) + mu in float, as the graph computes it, into
     * {@link #z}; and the analytic KL -1/2 sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j)) of each
     * example into {@code kl}.
     */
    void sample(float[] eps, double[] kl, FloatBuffer params, int biasAt) {
        DenseVae.floats(head).get(0, headRows);
        params.get(biasAt, headBias);
        for (int b = 0; b < batch; b++) {
            double sum = 0;
            for (int j = 0; j < latent; j++) {
                int k = b * latent + j;
                float m = headRows[2 * k - j] + headBias[j];
                float lv = headRows[2 * k - j + latent] + headBias[latent + j];
                muRows[k] = m;
                // one exp: exp(logvar) = exp(logvar / 2)^2 (lv * 0.5f is exact), to a double's rounding
                double s = Math.exp(lv * 0.5f);
                double e = s * s;
                sigma[k] = (float) s;
                variance[k] = e;
                sum += lv + 1.0 - (double) m * m - e;
            }
            kl[b] = -0.5 * sum;
        }
        for (int r = 0; r < rows; r++) {
            int base = (r % batch) * latent;
            for (int j = 0; j < latent; j++) {
                zRows[r * latent + j] = eps[r * latent + j] * sigma[base + j] + muRows[base + j];
            }
        }
        DenseVae.floats(z).put(0, zRows);
    }

    /**
     * From dL/dz in {@link #dz}: dL/dmu = sum_s dL/dz + (beta / B) mu and dL/dlogvar = sum_s dL/dz
     * eps sigma / 2 + (beta / B) (exp(logvar) - 1) / 2 into {@link #dhead}, and their column sums,
     * the heads' bias gradients, into {@code grads} at {@code biasAt}.
     */
    void latentGradient(float[] eps, float beta, FloatBuffer grads, int biasAt) {
        float[] d = zRows;
        DenseVae.floats(dz).get(0, d);
        float[] dh = headRows;
        double klScale = (double) beta / batch;
        for (int k = 0; k < batch * latent; k++) {
            int at = 2 * k - k % latent;
            dh[at] = (float) (klScale * muRows[k]);
            dh[at + latent] = (float) (klScale * 0.5 * (variance[k] - 1));
        }
        for (int r = 0; r < rows; r++) {
            int base = (r % batch) * latent;
            for (int j = 0; j < latent; j++) {
                float g = d[r * latent + j];
                int at = 2 * base + j;
                dh[at] += g;
                dh[at + latent] += g * eps[r * latent + j] * 0.5f * sigma[base + j];
            }
        }
        DenseVae.floats(dhead).put(0, dh);
        java.util.Arrays.fill(headBias, 0f);
        for (int k = 0; k < dh.length; k++) {
            headBias[k % (2 * latent)] += dh[k];
        }
        grads.put(biasAt, headBias);
    }

    private static INDArray matrix(int r, int c) {
        return Nd4j.createUninitialized(DataType.FLOAT, r, c);
    }

    @Override
    public void close() {
        for (INDArray a : List.of(x, head, z, logits, dz, dhead)) {
            a.close();
        }
        encoderHidden.forEach(INDArray::close);
        encoderGrad.forEach(INDArray::close);
        decoderHidden.forEach(INDArray::close);
        decoderGrad.forEach(INDArray::close);
    }
}
