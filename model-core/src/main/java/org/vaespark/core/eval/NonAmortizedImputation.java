package org.vaespark.core.eval;

import org.vaespark.core.cpu.LocalPosterior;
import org.vaespark.core.cpu.PosteriorRefinement;
import org.vaespark.core.model.Likelihood;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.samediff.Labels;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Non-amortized imputation (Agarwal et al. 2023) on the CPU executor, beside pseudo-Gibbs (Rezende et al. 2014,
 * {@link Imputation}) on the same masks. For each example, q_ψ(z) = N(mean, exp(logvar)) starts from the encoder's
 * output on the image with its missing pixels x_m set to the training-set mean of each pixel, and Adam ascends the
 * ELBO of the OBSERVED pixels only, E_q[log p(x_o|z) + log p(z) − log q(z)], the decoder fixed. The imputation is
 * the mean over S draws z_s ~ q_ψ of the decoder's mean at the missing pixels.
 *
 * <p>Both methods are scored by one estimator of the masked log-likelihood, log (1/S) Σ_s p(x_m | z_s): z_s from q_ψ
 * here, and for pseudo-Gibbs from the encoder q_φ(z | x_o, x̂_m) at its final imputation x̂_m. Both use the same S
 * draws of standard-normal noise, a pure function of (eval.imputation.seed, id, s), so the comparison does not
 * depend on batching and differs only by the posterior the noise is mapped through.
 */
public final class NonAmortizedImputation {
    /** Noise stream of the refinement's gradient samples. */
    public static final long REFINE_STREAM = 0x1AA0L;
    /** Noise stream of the S draws of the estimator (and of the imputation's mean). */
    public static final long SCORE_STREAM = 0x1AA1L;
    /** Draws per forward pass of the estimator: bounds memory at batch x chunk x D values. */
    private static final int CHUNK = 250;

    private final LocalPosterior local;
    private final ImputationConfig imputation;
    private final NonAmortizedConfig config;
    private final boolean binary;

    public NonAmortizedImputation(VaeConfig model, NamedArrays params, ImputationConfig imputation, NonAmortizedConfig config,
                                  boolean binary) {
        String reason = unavailable(model);
        if (reason != null) {
            throw org.vaespark.core.errors.Errors.unsupportedModel("model " + model.describe(), reason,
                    "evaluate a one-layer model (model.kind = vae or cvae) with model.posterior.kind = gaussian and a "
                            + "bernoulli or gaussian likelihood without a PixelCNN");
        }
        this.local = new LocalPosterior(model, params);
        this.imputation = imputation;
        this.config = config;
        this.binary = binary;
    }

    /** Why the model cannot be imputed this way, or null when it can. */
    public static String unavailable(VaeConfig c) {
        String reason = Imputation.unavailable(c);
        if (reason == null) {
            reason = LocalPosterior.unavailable(c);
        }
        if (reason == null && c.likelihood() != Likelihood.BERNOULLI && c.likelihood() != Likelihood.GAUSSIAN) {
            reason = "the " + c.likelihood().name().toLowerCase() + " likelihood is not restricted to the observed pixels here "
                    + "(only bernoulli and gaussian, which factorise over pixels)";
        }
        return reason;
    }

    /**
     * Both methods on one batch whose pseudo-Gibbs imputation is {@code gibbs} (same ids, inputs and masks).
     *
     * @param x      model inputs [B, D], already encoded by PixelEncoding
     * @param fill   the training-set mean of each of the D model inputs, the start of the missing pixels
     * @param labels CVAE: every example's label; ignored otherwise (may be null)
     */
    public ImputationComparison[] compare(long[] ids, float[] x, int[] labels, float[] fill, Imputation.Batch gibbs) {
        VaeConfig c = local.config();
        int batch = ids.length;
        int dim = c.inputDim();
        if (fill.length != dim) {
            throw new IllegalArgumentException("a training mean of " + fill.length + " values for " + dim + " inputs");
        }
        float[] condition = Labels.oneHot(c, ids, labels);
        boolean[] missing = gibbs.missing();
        float[] observed = new float[batch * dim];
        float[] hidden = new float[batch * dim];
        float[] start = x.clone();
        for (int i = 0; i < start.length; i++) {
            observed[i] = missing[i] ? 0f : 1f;
            hidden[i] = missing[i] ? 1f : 0f;
            if (missing[i]) {
                start[i] = fill[i % dim];
            }
        }
        LocalPosterior.Diagonal q = local.encode(start, batch, condition);
        double[][] trace = new PosteriorRefinement(config.steps(), config.learningRate(), config.gradientSamples(),
                NonAmortizedConfig.rateKey()).run(local, ids, x, condition, observed, q, imputation.seed(), REFINE_STREAM);
        float[] imputed = x.clone();
        double[] refined = score(ids, x, condition, hidden, q, imputed);
        double[] pseudoGibbs = score(ids, x, condition, hidden, local.encode(gibbs.imputed(), batch, condition), null);
        ImputationComparison[] out = new ImputationComparison[batch];
        for (int b = 0; b < batch; b++) {
            ImputationResult g = gibbs.results()[b];
            int from = b * dim;
            double se = 0;
            int wrong = 0;
            for (int i = from; i < from + dim; i++) {
                if (missing[i]) {
                    double v = Math.max(0.0, Math.min(1.0, imputed[i]));
                    se += (v - x[i]) * (v - x[i]);
                    wrong += binary && (v >= 0.5) != (x[i] >= 0.5f) ? 1 : 0;
                }
            }
            double[] t = trace[b];
            out[b] = new ImputationComparison(ids[b], g.masked(), g.squaredError(), g.wrong(), pseudoGibbs[b], se, wrong,
                    refined[b], t[0], t[t.length - 1]);
        }
        return out;
    }

    /**
     * log (1/S) Σ_s p(x_m | z_s) per example, z_s = mean + exp(logvar / 2) eps_s with the S draws of
     * {@link #SCORE_STREAM}; {@code imputed} (when not null) gets the mean over the draws of the decoder's mean at
     * the missing values.
     */
    private double[] score(long[] ids, float[] x, float[] condition, float[] hidden, LocalPosterior.Diagonal q, float[] imputed) {
        int batch = ids.length;
        int dim = local.config().inputDim();
        int noise = local.config().noiseDim();
        int total = config.samples();
        LogMeanExp[] w = new LogMeanExp[batch];
        for (int b = 0; b < batch; b++) {
            w[b] = new LogMeanExp();
        }
        double[] sum = imputed == null ? null : new double[batch * dim];
        for (int from = 0; from < total; from += CHUNK) {
            int s = Math.min(CHUNK, total - from);
            float[] eps = new float[s * batch * noise];
            float[] logPx = new float[s * batch];
            NoiseSource.fill(eps, imputation.seed(), SCORE_STREAM, ids, from, s, noise);
            local.logLikelihoods(x, batch, q, eps, s, condition, hidden, logPx);
            for (int r = 0; r < s * batch; r++) {
                w[r % batch].add(logPx[r]);
            }
            if (sum != null) {
                float[] means = local.decoderMeans(q, batch, eps, s, condition);
                for (int r = 0; r < s * batch; r++) {
                    int b = r % batch;
                    for (int i = 0; i < dim; i++) {
                        sum[b * dim + i] += means[r * dim + i];
                    }
                }
            }
        }
        if (sum != null) {
            for (int i = 0; i < sum.length; i++) {
                if (hidden[i] == 1f) {
                    imputed[i] = (float) (sum[i] / total);
                }
            }
        }
        double[] out = new double[batch];
        for (int b = 0; b < batch; b++) {
            out[b] = w[b].value();
        }
        return out;
    }
}
