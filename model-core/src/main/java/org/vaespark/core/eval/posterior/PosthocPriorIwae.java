package org.vaespark.core.eval.posterior;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.eval.LogMeanExp;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.samediff.Labels;
import org.vaespark.core.train.NativeMemory;

/**
 * IWAE-k (Burda et al. 2016) with the model's prior and with a Gaussian mixture fitted post hoc,
 * on the same samples: log w_gmm = log w - log p(z) + log p_gmm(z) for each z = mu + sigma * eps.
 * The difference measures how much a better prior, closer to the aggregated posterior, would
 * gain (Hoffman &amp; Johnson 2016). Samples are streamed in chunks and the log-mean-exp is
 * accumulated in double precision; the noise of an example depends only on (seed, id).
 */
public final class PosthocPriorIwae {
    /** Noise stream of the prior comparison. */
    public static final long STREAM = 0x6A7B_9C1D_2016L;

    private final Vae model;
    private final GaussianMixtureDensity prior;
    private final int k;
    private final int chunk;
    private final long seed;

    public PosthocPriorIwae(Vae model, GaussianMixtureDensity prior, int k, int chunk, long seed) {
        String reason = PosteriorEncoder.unsupported(model.config());
        if (reason != null) {
            throw new IllegalArgumentException(reason);
        }
        if (prior.dim() != model.config().latentDim()) {
            throw new IllegalArgumentException("the mixture has dimension " + prior.dim() + ", the latent " + model.config().latentDim());
        }
        if (k <= 0 || chunk <= 0) {
            throw new IllegalArgumentException("k and chunk must be > 0, got k=" + k + " chunk=" + chunk);
        }
        this.model = model;
        this.prior = prior;
        this.k = k;
        this.chunk = chunk;
        this.seed = seed;
    }

    public PriorComparison[] estimate(long[] ids, float[] x, int[] labels) {
        VaeConfig c = model.config();
        int batch = ids.length;
        int d = c.latentDim();
        int width = c.noiseDim();
        INDArray xs = Vae.matrix(x, batch, c.inputDim());
        LogMeanExp[] own = new LogMeanExp[batch];
        LogMeanExp[] posthoc = new LogMeanExp[batch];
        for (int b = 0; b < batch; b++) {
            own[b] = new LogMeanExp();
            posthoc[b] = new LogMeanExp();
        }
        double[] z = new double[d];
        for (int start = 0; start < k; start += chunk) {
            int s = Math.min(chunk, k - start);
            float[] eps = new float[s * batch * width];
            NoiseSource.fill(eps, seed, STREAM, ids, start, s, width);
            INDArray noise = Nd4j.create(eps, new long[]{s, batch, width}, 'c');
            Vae.Feed feed = Labels.feed(c, xs, noise, c.beta(), ids, labels);
            Map<String, INDArray> out = model.output(feed, VaeNames.LOG_W, VaeNames.LOG_PZ, VaeNames.Z_MEAN, VaeNames.Z_LOGVAR);
            double[] logW = PosteriorEncoder.doubles(out.get(VaeNames.LOG_W));
            double[] logPz = PosteriorEncoder.doubles(out.get(VaeNames.LOG_PZ));
            double[] mu = PosteriorEncoder.doubles(out.get(VaeNames.Z_MEAN));
            double[] logvar = PosteriorEncoder.doubles(out.get(VaeNames.Z_LOGVAR));
            NativeMemory.release(out.values());
            NativeMemory.release(noise);
            if (feed.labels() != null) {
                NativeMemory.release(feed.labels(), feed.labelled());
            }
            for (int i = 0; i < s; i++) {
                for (int b = 0; b < batch; b++) {
                    int row = (i * batch + b) * width;
                    for (int j = 0; j < d; j++) {
                        z[j] = mu[b * d + j] + Math.exp(0.5 * logvar[b * d + j]) * eps[row + j];
                    }
                    double w = logW[i * batch + b];
                    own[b].add(w);
                    posthoc[b].add(w - logPz[i * batch + b] + prior.logDensity(z));
                }
            }
        }
        NativeMemory.release(xs);
        PriorComparison[] result = new PriorComparison[batch];
        for (int b = 0; b < batch; b++) {
            result[b] = new PriorComparison(ids[b], own[b].value(), posthoc[b].value());
        }
        return result;
    }
}
