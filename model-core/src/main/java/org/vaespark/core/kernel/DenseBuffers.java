package org.vaespark.core.kernel;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;

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
    final INDArray mu;
    final INDArray logvar;
    final INDArray z;
    final List<INDArray> decoderHidden = new ArrayList<>();
    final List<INDArray> decoderGrad = new ArrayList<>();
    final INDArray logits;
    final INDArray dz;
    final INDArray dmu;
    final INDArray dlogvar;
    final INDArray onesRows;
    final INDArray onesBatch;
    final float[] logitRows;
    final float[] outBias;
    final float[] outBiasGrad;
    private final float[] muRows;
    private final float[] logvarRows;
    private final float[] sigma;
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
        this.mu = matrix(batch, latent);
        this.logvar = matrix(batch, latent);
        this.z = matrix(rows, latent);
        for (int w : c.decoderHidden()) {
            decoderHidden.add(matrix(rows, w));
            decoderGrad.add(matrix(rows, w));
        }
        this.logits = matrix(rows, pixels);
        this.dz = matrix(rows, latent);
        this.dmu = matrix(batch, latent);
        this.dlogvar = matrix(batch, latent);
        this.onesRows = Nd4j.ones(DataType.FLOAT, 1, rows);
        this.onesBatch = Nd4j.ones(DataType.FLOAT, 1, batch);
        this.logitRows = new float[rows * pixels];
        this.outBias = new float[pixels];
        this.outBiasGrad = new float[pixels];
        this.muRows = new float[batch * latent];
        this.logvarRows = new float[batch * latent];
        this.sigma = new float[batch * latent];
        this.zRows = new float[rows * latent];
    }

    /**
     * z = eps * exp(logvar / 2) + mu in float, as the graph computes it, into {@link #z}; and the
     * analytic KL -1/2 sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j)) of each example into {@code kl}.
     */
    void sample(float[] eps, double[] kl) {
        DenseVae.floats(mu).get(0, muRows);
        DenseVae.floats(logvar).get(0, logvarRows);
        for (int b = 0; b < batch; b++) {
            double sum = 0;
            for (int j = 0; j < latent; j++) {
                int k = b * latent + j;
                float lv = logvarRows[k];
                float m = muRows[k];
                sigma[k] = (float) Math.exp(lv * 0.5f);
                sum += lv + 1.0 - (double) m * m - Math.exp(lv);
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
     * eps sigma / 2 + (beta / B) (exp(logvar) - 1) / 2 into {@link #dmu} and {@link #dlogvar}, and
     * their column sums, the heads' bias gradients, into {@code grads}.
     */
    void latentGradient(float[] eps, float beta, FloatBuffer grads, DenseLayout layout) {
        float[] d = zRows;
        DenseVae.floats(dz).get(0, d);
        float[] dm = new float[batch * latent];
        float[] dl = new float[batch * latent];
        double klScale = (double) beta / batch;
        for (int k = 0; k < batch * latent; k++) {
            dm[k] = (float) (klScale * muRows[k]);
            dl[k] = (float) (klScale * 0.5 * (Math.exp(logvarRows[k]) - 1));
        }
        for (int r = 0; r < rows; r++) {
            int base = (r % batch) * latent;
            for (int j = 0; j < latent; j++) {
                float g = d[r * latent + j];
                dm[base + j] += g;
                dl[base + j] += g * eps[r * latent + j] * 0.5f * sigma[base + j];
            }
        }
        DenseVae.floats(dmu).put(0, dm);
        DenseVae.floats(dlogvar).put(0, dl);
        grads.put(layout.offset(VaeNames.bias(VaeNames.ENC_MU)), columnSums(dm));
        grads.put(layout.offset(VaeNames.bias(VaeNames.ENC_LOGVAR)), columnSums(dl));
    }

    private float[] columnSums(float[] m) {
        float[] s = new float[latent];
        for (int k = 0; k < m.length; k++) {
            s[k % latent] += m[k];
        }
        return s;
    }

    private static INDArray matrix(int r, int c) {
        return Nd4j.createUninitialized(DataType.FLOAT, r, c);
    }

    @Override
    public void close() {
        for (INDArray a : List.of(x, mu, logvar, z, logits, dz, dmu, dlogvar, onesRows, onesBatch)) {
            a.close();
        }
        encoderHidden.forEach(INDArray::close);
        encoderGrad.forEach(INDArray::close);
        decoderHidden.forEach(INDArray::close);
        decoderGrad.forEach(INDArray::close);
    }
}
