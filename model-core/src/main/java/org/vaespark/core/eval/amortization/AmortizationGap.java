package org.vaespark.core.eval.amortization;

import org.vaespark.core.cpu.LocalPosterior;
import org.vaespark.core.cpu.PosteriorRefinement;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.LogMeanExp;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.samediff.Labels;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The amortization gap of Cremer, Li &amp; Duvenaud (2018) per example, on the CPU executor. Each example's
 * diagonal-Gaussian q(z|x) is refined without the encoder: from the encoder's mean and log-variance, Adam (Kingma
 * &amp; Ba 2015) ascends that example's Monte-Carlo ELBO in those 2d numbers alone, the decoder and prior fixed. The
 * refined q* is then scored with fresh noise: ELBO(q*) and IWAE-k with q* as the proposal (Burda et al. 2016), beside
 * ELBO(q_φ) and IWAE-k with the encoder's q_φ as the proposal (the evaluation's own noise, so it equals the IWAE of
 * the evaluation). log p̂(x) is the larger of the two bounds; the approximation gap is log p̂(x) − ELBO(q*) and the
 * amortization gap ELBO(q*) − ELBO(q_φ) ({@link ExampleGap}).
 *
 * <p>All noise is a pure function of (eval.seed, stream, example id, sample index): the refinement's step t uses
 * samples t·S .. t·S + S − 1 of its own stream, the scoring of q* another stream, so results do not depend on
 * batching or partitioning, and q* is never scored on the noise it was fitted to.
 */
public final class AmortizationGap {
    /** Noise stream of the refinement's gradient samples. */
    public static final long REFINE_STREAM = 0xA3071L;
    /** Noise stream of the scoring of q* (fresh: not the refinement's, not the encoder's). */
    public static final long SCORE_STREAM = 0x5C0AEL;

    private final LocalPosterior local;
    private final EvalConfig eval;
    private final AmortizationConfig config;

    public AmortizationGap(VaeConfig model, NamedArrays params, EvalConfig eval, AmortizationConfig config) {
        this.local = new LocalPosterior(model, params);
        this.eval = eval;
        this.config = config;
    }

    /**
     * The figures of every example of a batch.
     *
     * @param x      model inputs [B, D], already encoded by PixelEncoding
     * @param labels CVAE: every example's label; ignored otherwise (may be null)
     */
    public ExampleGap[] estimate(long[] ids, float[] x, int[] labels) {
        VaeConfig c = local.config();
        int batch = ids.length;
        float[] condition = Labels.oneHot(c, ids, labels);
        LocalPosterior.Diagonal encoder = local.encode(x, batch, condition);
        LocalPosterior.Diagonal refined = new LocalPosterior.Diagonal(encoder.mean().clone(), encoder.logvar().clone());
        double[][] trace = refine(ids, x, condition, refined);
        Score before = score(ids, x, condition, encoder, NoiseSource.EVAL_STREAM);
        Score after = score(ids, x, condition, refined, SCORE_STREAM);
        int d = c.latentDim();
        ExampleGap[] out = new ExampleGap[batch];
        for (int b = 0; b < batch; b++) {
            out[b] = new ExampleGap(ids[b], before.elbo[b], before.iwae[b], after.elbo[b], after.iwae[b], trace[b],
                    java.util.Arrays.copyOfRange(refined.mean(), b * d, (b + 1) * d),
                    java.util.Arrays.copyOfRange(refined.logvar(), b * d, (b + 1) * d));
        }
        return out;
    }

    /** Adam on q's moments in place; returns each example's ELBO on the step's own samples before each step. */
    private double[][] refine(long[] ids, float[] x, float[] condition, LocalPosterior.Diagonal q) {
        return new PosteriorRefinement(config.steps(), config.learningRate(), config.samples(), "eval.amortization.learning-rate")
                .run(local, ids, x, condition, null, q, eval.seed(), REFINE_STREAM);
    }

    /** ELBO and IWAE-k of q as the proposal, over eval.k samples of {@code stream} in chunks of eval.chunk. */
    private Score score(long[] ids, float[] x, float[] condition, LocalPosterior.Diagonal q, long stream) {
        int batch = ids.length;
        int noise = local.config().noiseDim();
        LogMeanExp[] w = new LogMeanExp[batch];
        for (int b = 0; b < batch; b++) {
            w[b] = new LogMeanExp();
        }
        int chunk = Math.min(eval.chunk(), eval.k());
        float[] eps = new float[chunk * batch * noise];
        float[] logW = new float[chunk * batch];
        for (int start = 0; start < eval.k(); start += chunk) {
            int s = Math.min(chunk, eval.k() - start);
            if (s != chunk) {
                eps = new float[s * batch * noise];
                logW = new float[s * batch];
            }
            NoiseSource.fill(eps, eval.seed(), stream, ids, start, s, noise);
            local.logWeights(x, batch, q, eps, s, condition, logW);
            for (int r = 0; r < s * batch; r++) {
                w[r % batch].add(logW[r]);
            }
        }
        Score out = new Score(new double[batch], new double[batch]);
        for (int b = 0; b < batch; b++) {
            out.elbo[b] = w[b].mean();
            out.iwae[b] = w[b].value();
        }
        return out;
    }

    private record Score(double[] elbo, double[] iwae) {
    }
}
