package org.vaespark.core.cpu;

import org.vaespark.core.errors.Errors;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.model.PosteriorKind;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;

/**
 * A per-example (non-amortized) diagonal Gaussian q(z|x) = N(mean, exp(logvar)) under a trained model's fixed decoder
 * and prior, on the CPU executor (Cremer, Li &amp; Duvenaud 2018): the encoder's moments to start from, the
 * importance weights log w = log p(x|z) + log p(z) - log q(z) of given moments, and the gradient of the Monte-Carlo
 * ELBO with respect to the moments, by the reparameterisation z = mean + exp(logvar / 2) eps (Kingma &amp; Welling
 * 2014) through the executor's backward pass. The model's parameters receive no gradient.
 */
public final class LocalPosterior {
    private final CpuModel model;
    private final CpuParameters params;
    private final Tape forward = new Tape(false);
    private final Tape gradient = new Tape(true, false);

    /** The local posteriors of the model {@code config} with parameters {@code params} (copied). */
    public LocalPosterior(VaeConfig config, NamedArrays params) {
        String refused = unavailable(config);
        if (refused != null) {
            throw Errors.unsupportedModel("model " + config.describe(), refused,
                    "evaluate a one-layer model (model.kind = vae or cvae) with model.posterior.kind = gaussian");
        }
        this.model = CpuModel.frozen(config);
        this.params = new CpuParameters(params);
    }

    /** Why the model's posterior is not one diagonal Gaussian per example, or null when it is. */
    public static String unavailable(VaeConfig c) {
        if (c.kind() == ModelKind.HVAE) {
            return "the two-layer model's posterior q(z1|x, z2) q(z2|x) is not one diagonal Gaussian";
        }
        if (c.kind() == ModelKind.M2) {
            return "M2's posterior q(y|x) q(z|x, y) has a discrete part";
        }
        if (c.kind() == ModelKind.MVAE) {
            return "the MVAE's posterior is a product of experts over two modalities; its diagnostics are "
                    + "evaluate.diagnostics = [multimodal]";
        }
        if (c.posterior().kind() != PosteriorKind.GAUSSIAN) {
            return "a " + c.posterior().kind().name().toLowerCase() + " flow posterior is not a diagonal Gaussian";
        }
        return null;
    }

    public VaeConfig config() {
        return model.config();
    }

    /** The encoder's mean and log-variance of a batch, each [B, d] row-major (copies). */
    public Diagonal encode(float[] x, int batch, float[] condition) {
        forward.reset();
        CpuModel.Outputs o = model.forward(forward, params, x, batch, new float[batch * model.config().noiseDim()], 1,
                condition, model.config().beta());
        return new Diagonal(o.mean().values().clone(), o.logvar().values().clone());
    }

    /**
     * log w per sample of q = N(mean, exp(logvar)), into {@code logW} [S * B] (row s * B + b).
     *
     * @param eps noise [S, B, noiseDim]
     */
    public void logWeights(float[] x, int batch, Diagonal q, float[] eps, int samples, float[] condition, float[] logW) {
        forward.reset();
        int d = model.config().latentDim();
        CpuModel.Outputs o = model.fromMoments(forward, params, x, batch, forward.input(q.mean(), batch, d),
                forward.input(q.logvar(), batch, d), eps, samples, condition);
        for (int r = 0; r < samples * batch; r++) {
            logW[r] = (float) o.logW(r);
        }
    }

    /**
     * The Monte-Carlo ELBO of each example, (1/S) sum_s log w_sb, into {@code elbo} [B]; and the gradient of the loss
     * -sum_b ELBO_b with respect to the moments into {@code dMean} and {@code dLogvar} [B, d] (overwritten). Each
     * example's gradient depends on its own moments only.
     */
    public void elboGradient(float[] x, int batch, Diagonal q, float[] eps, int samples, float[] condition, double[] elbo,
                             float[] dMean, float[] dLogvar) {
        elboGradient(x, batch, q, eps, samples, condition, null, elbo, dMean, dLogvar);
    }

    /**
     * As {@link #elboGradient(float[], int, Diagonal, float[], int, float[], double[], float[], float[])} with
     * log p(x|z) over the values of weight 1 only ({@code weights} [B, D] of 0/1; null: all): the ELBO of the observed
     * values of an image with missing values, log p(x_o|z) + log p(z) − log q(z).
     */
    public void elboGradient(float[] x, int batch, Diagonal q, float[] eps, int samples, float[] condition, float[] weights,
                             double[] elbo, float[] dMean, float[] dLogvar) {
        java.util.Arrays.fill(dMean, 0f);
        java.util.Arrays.fill(dLogvar, 0f);
        gradient.reset();
        int d = model.config().latentDim();
        CpuModel.Outputs o = model.fromMoments(gradient, params, x, batch, gradient.variable(q.mean(), dMean, batch, d),
                gradient.variable(q.logvar(), dLogvar, batch, d), eps, samples, condition, weights);
        java.util.Arrays.fill(elbo, 0.0);
        for (int r = 0; r < samples * batch; r++) {
            elbo[r % batch] += o.logW(r) / samples;
        }
        float w = 1f / samples;
        fill(o.logPx().grad(), -w);
        fill(o.logPz().grad(), -w);
        fill(o.logQz().grad(), w);
        gradient.backward();
    }

    /**
     * log p(x_w|z_s) per sample z_s = mean + exp(logvar / 2) eps_s of q, summed over the values of weight 1
     * ({@code weights} [B, D] of 0/1), into {@code logPx} [S * B] (row s * B + b).
     */
    public void logLikelihoods(float[] x, int batch, Diagonal q, float[] eps, int samples, float[] condition, float[] weights,
                               float[] logPx) {
        forward.reset();
        int d = model.config().latentDim();
        CpuModel.Outputs o = model.fromMoments(forward, params, x, batch, forward.input(q.mean(), batch, d),
                forward.input(q.logvar(), batch, d), eps, samples, condition, weights);
        System.arraycopy(o.logPx().values(), 0, logPx, 0, samples * batch);
    }

    /**
     * The mean of p(x|z_s) for each sample z_s = mean + exp(logvar / 2) eps_s of q, [S * B, D] (row s * B + b): the
     * decoder's mean (Bernoulli or Gaussian likelihood, no PixelCNN).
     */
    public float[] decoderMeans(Diagonal q, int batch, float[] eps, int samples, float[] condition) {
        forward.reset();
        int d = model.config().latentDim();
        int noise = model.config().noiseDim();
        float[] z = new float[samples * batch * d];
        float[] rows = condition == null ? null : new float[samples * condition.length];
        for (int s = 0; s < samples; s++) {
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < d; j++) {
                    int i = b * d + j;
                    z[(s * batch + b) * d + j] = q.mean()[i] + (float) Math.exp(q.logvar()[i] * 0.5) * eps[(s * batch + b) * noise + j];
                }
            }
            if (rows != null) {
                System.arraycopy(condition, 0, rows, s * condition.length, condition.length);
            }
        }
        return model.decoderMean(forward, params, z, samples * batch, rows);
    }

    private static void fill(float[] g, float v) {
        java.util.Arrays.fill(g, v);
    }

    /** A diagonal Gaussian per example: mean and log-variance, each [B, d] row-major. */
    public record Diagonal(float[] mean, float[] logvar) {
    }
}
