package org.vaespark.core.eval;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.samediff.DecoderGraph;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.samediff.Labels;
import org.vaespark.core.train.NativeMemory;

/**
 * Missing-value imputation with a trained VAE by pseudo-Gibbs sampling (Rezende et al. 2014,
 * Sec. 5.3 and Appendix F): the hidden values x_m start at the mean of the example's observed
 * values x_o (0.5 when none is observed), then each iteration encodes q(z|x_o, x_m), draws
 * z = mu + sigma eps (through the posterior flow if any), decodes the mean of p(x|z) and replaces
 * only x_m by it; x_o is never changed. The noise of example i, iteration t is a pure function of
 * (seed, id, t), so results do not depend on batching or partitioning. The baseline imputes the
 * example's observed-value mean.
 */
public final class Imputation {
    /** Noise stream of the posterior draws of the pseudo-Gibbs iterations. */
    public static final long IMPUTATION_STREAM = 0x1A9FL;

    private final Vae model;
    private final ImputationConfig config;
    private final boolean binary;

    /** @param binary true when the inputs are 0/1 (static or dynamic binarization): error rates are reported too */
    public Imputation(Vae model, ImputationConfig config, boolean binary) {
        String reason = unavailable(model.config());
        if (reason != null) {
            throw new UnsupportedOperationException(reason);
        }
        this.model = model;
        this.config = config;
        this.binary = binary;
    }

    /** Why this model cannot impute, or null when it can. */
    public static String unavailable(VaeConfig c) {
        String reason = DecoderGraph.unavailable(c);
        if (reason != null) {
            return reason;
        }
        if (c.kind() == ModelKind.M2) {
            return "M2 encodes q(z|x, y) per class y and has no single decoder mean for x; imputation is not built for it";
        }
        return null;
    }

    public boolean binary() {
        return binary;
    }

    /** The imputed batch and its per-example errors. */
    public record Batch(float[] imputed, boolean[] missing, ImputationResult[] results) {
    }

    /**
     * Imputes the hidden values of a batch.
     *
     * @param ids    example ids (they select the mask and the noise)
     * @param x      model inputs, row-major [ids.length, D], already encoded by PixelEncoding
     * @param labels class of each example (CVAE needs them), or null
     */
    public Batch impute(long[] ids, float[] x, int[] labels) {
        VaeConfig c = model.config();
        int batch = ids.length;
        int dim = c.inputDim();
        int noise = c.noiseDim();
        boolean[] missing = new boolean[batch * dim];
        float[] current = x.clone();
        float[] baseline = new float[batch];
        for (int b = 0; b < batch; b++) {
            boolean[] m = config.mask().missing(c.image(), ids[b], config.fraction(), config.seed());
            System.arraycopy(m, 0, missing, b * dim, dim);
            double sum = 0;
            int observed = 0;
            for (int i = 0; i < dim; i++) {
                if (!m[i]) {
                    sum += x[b * dim + i];
                    observed++;
                }
            }
            baseline[b] = observed == 0 ? 0.5f : (float) (sum / observed);
            for (int i = 0; i < dim; i++) {
                if (m[i]) {
                    current[b * dim + i] = baseline[b];
                }
            }
        }
        float[] eps = new float[batch * noise];
        for (int t = 0; t < config.iterations(); t++) {
            NoiseSource.fill(eps, config.seed(), IMPUTATION_STREAM, ids, t, 1, noise);
            INDArray xs = Vae.matrix(current, batch, dim);
            INDArray e = Nd4j.create(eps, new long[]{1, batch, noise}, 'c');
            Vae.Feed feed = Labels.feed(c, xs, e, c.beta(), ids, labels);
            Map<String, INDArray> out = model.output(feed, VaeNames.X_MEAN);
            float[] mean = out.get(VaeNames.X_MEAN).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
            NativeMemory.release(xs, e);
            NativeMemory.release(out.values());
            if (feed.labels() != null) {
                NativeMemory.release(feed.labels(), feed.labelled());
            }
            for (int i = 0; i < current.length; i++) {
                if (missing[i]) {
                    current[i] = mean[i];
                }
            }
        }
        ImputationResult[] results = new ImputationResult[batch];
        for (int b = 0; b < batch; b++) {
            results[b] = score(ids[b], x, current, missing, baseline[b], b * dim, dim);
        }
        return new Batch(current, missing, results);
    }

    private ImputationResult score(long id, float[] truth, float[] imputed, boolean[] missing, float baseline, int from, int dim) {
        int masked = 0;
        double se = 0;
        double seBase = 0;
        int wrong = 0;
        int wrongBase = 0;
        for (int i = from; i < from + dim; i++) {
            if (!missing[i]) {
                continue;
            }
            masked++;
            double v = clip(imputed[i]);
            se += (v - truth[i]) * (v - truth[i]);
            seBase += (baseline - truth[i]) * (double) (baseline - truth[i]);
            if (binary) {
                boolean one = truth[i] >= 0.5f;
                wrong += (v >= 0.5) != one ? 1 : 0;
                wrongBase += (baseline >= 0.5f) != one ? 1 : 0;
            }
        }
        return new ImputationResult(id, masked, se, seBase, wrong, wrongBase);
    }

    /** Pixels live in [0, 1]: a Gaussian decoder's mean is clipped before it is scored. */
    private static double clip(float v) {
        return Math.max(0.0, Math.min(1.0, v));
    }
}
