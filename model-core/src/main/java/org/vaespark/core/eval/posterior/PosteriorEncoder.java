package org.vaespark.core.eval.posterior;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.PosteriorKind;
import org.vaespark.core.model.PriorKind;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.samediff.Labels;
import org.vaespark.core.train.NativeMemory;

/**
 * Per-example encoder outputs for the aggregated-posterior statistics (Hoffman &amp; Johnson 2016):
 * for a one-layer model with a diagonal Gaussian q(z|x), the moments (Z_MEAN, Z_LOGVAR), one
 * sample z = mu + sigma * eps with its log q(z|x) and log p(z) (the graph fed the same eps), and
 * KL(q(z|x) || p(z)): in closed form for the N(0, I) prior, else from a second sample. The noise
 * of an example depends only on (seed, id), so the values do not depend on batching.
 */
public final class PosteriorEncoder {
    /** Noise stream of the surgery samples: sample 0 is z, sample 1 the independent KL sample. */
    public static final long SURGERY_STREAM = 0x5A6E_A6E0_2016L;

    private final Vae model;
    private final long seed;

    public PosteriorEncoder(Vae model, long seed) {
        String reason = unsupported(model.config());
        if (reason != null) {
            throw new IllegalArgumentException(reason);
        }
        this.model = model;
        this.seed = seed;
    }

    /**
     * Null when the statistics apply to the model, else why not: they need log q(z|x) in closed
     * form at arbitrary z, which a one-layer model with a diagonal Gaussian posterior has.
     */
    public static String unsupported(VaeConfig c) {
        if (c.kind() != ModelKind.VAE && c.kind() != ModelKind.CVAE) {
            return "model.kind=" + c.kind().name().toLowerCase() + ": the aggregated-posterior statistics need a one-layer model "
                    + "(vae or cvae) whose q(z|x) has a closed-form density at arbitrary z";
        }
        if (c.posterior().kind() != PosteriorKind.GAUSSIAN) {
            return "model.posterior.kind=" + c.posterior().kind().name().toLowerCase() + ": q(z|x) of a flow has no closed-form "
                    + "density at arbitrary z (its inverse is not computed), so log q(z) cannot be averaged over encoder outputs";
        }
        return null;
    }

    /** True when the prior is N(0, I), so KL has a closed form per latent dimension. */
    public static boolean factorisedPrior(VaeConfig c) {
        return c.prior().kind() == PriorKind.STANDARD;
    }

    /**
     * @param ids    example ids
     * @param x      model inputs, row-major [ids.length, D], encoded by PixelEncoding
     * @param labels labels (a CVAE needs them), or null
     */
    public EncodedExample[] encode(long[] ids, float[] x, int[] labels) {
        VaeConfig c = model.config();
        int batch = ids.length;
        int d = c.latentDim();
        int width = c.noiseDim();
        float[] eps = new float[2 * batch * width];
        NoiseSource.fill(eps, seed, SURGERY_STREAM, ids, 0, 2, width);
        INDArray xs = Vae.matrix(x, batch, c.inputDim());
        INDArray noise = Nd4j.create(eps, new long[]{2, batch, width}, 'c');
        Vae.Feed feed = Labels.feed(c, xs, noise, c.beta(), ids, labels);
        Map<String, INDArray> out = model.output(feed, VaeNames.Z_MEAN, VaeNames.Z_LOGVAR, VaeNames.LOG_QZ_X, VaeNames.LOG_PZ);
        double[] mu = doubles(out.get(VaeNames.Z_MEAN));
        double[] logvar = doubles(out.get(VaeNames.Z_LOGVAR));
        double[] logQ = doubles(out.get(VaeNames.LOG_QZ_X));
        double[] logP = doubles(out.get(VaeNames.LOG_PZ));
        NativeMemory.release(out.values());
        NativeMemory.release(xs, noise);
        if (feed.labels() != null) {
            NativeMemory.release(feed.labels(), feed.labelled());
        }
        boolean analytic = factorisedPrior(c);
        EncodedExample[] result = new EncodedExample[batch];
        for (int b = 0; b < batch; b++) {
            double[] m = java.util.Arrays.copyOfRange(mu, b * d, (b + 1) * d);
            double[] lv = java.util.Arrays.copyOfRange(logvar, b * d, (b + 1) * d);
            double[] z = new double[d];
            for (int j = 0; j < d; j++) {
                z[j] = m[j] + Math.exp(0.5 * lv[j]) * eps[b * width + j];
            }
            double[] klPerDim = analytic ? standardKl(m, lv) : null;
            double kl;
            if (analytic) {
                kl = 0;
                for (double v : klPerDim) {
                    kl += v;
                }
            } else {
                kl = logQ[batch + b] - logP[batch + b];
            }
            result[b] = new EncodedExample(ids[b], m, lv, z, AggregatePosterior.logNormal(z, m, lv), logQ[b], logP[b], kl, klPerDim);
        }
        return result;
    }

    /** KL(N(mu, sigma^2) || N(0, 1)) per dimension: -1/2 (1 + log sigma^2 - mu^2 - sigma^2) (Kingma &amp; Welling 2014). */
    public static double[] standardKl(double[] mean, double[] logvar) {
        double[] kl = new double[mean.length];
        for (int j = 0; j < kl.length; j++) {
            kl[j] = -0.5 * (1 + logvar[j] - mean[j] * mean[j] - Math.exp(logvar[j]));
        }
        return kl;
    }

    static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}
