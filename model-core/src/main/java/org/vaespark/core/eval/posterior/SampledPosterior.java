package org.vaespark.core.eval.posterior;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.eval.LogMeanExp;
import org.vaespark.core.model.HierarchyInference;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.model.PosteriorKind;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.samediff.Labels;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.train.NativeMemory;

/**
 * Per-layer posterior-collapse figures from S samples of q(z|x), for the posteriors that are not a
 * single diagonal Gaussian (where {@link PosteriorEncoder} applies):
 * <ul>
 * <li>a flow posterior q_K(z|x) (planar, Rezende &amp; Mohamed 2015; IAF, Kingma et al. 2016): KL by
 * Monte Carlo, (1/S) sum_s log q_K(z_s|x) - log p(z_s), with log q_K = log q_0(z_0) - log|det dz_K/dz_0|;
 * E_q[z|x] as the mean of the S samples z_K. q_K is not factorised and has no density at another
 * example's z (its inverse is not computed), so there is neither a KL per dimension nor a log q(z);</li>
 * <li>the hierarchical VAE with top-down or bidirectional inference (K = 2: Tomczak &amp; Welling 2018): for the
 * top layer z_K, the Gaussian q(z_K|x) as a one-layer model (closed-form KL per dimension for the N(0, I) prior,
 * else Monte Carlo); for each lower layer z_k, the nested estimate E_{q(z_{k+1:K}|x)} KL(q(z_k|x, z_{k+1:K}) ||
 * p(z_k|z_{k+1:K})): the inner KL per dimension in closed form, the outer expectation over the S samples of the
 * layers above; E_q[z_k|x] = (1/S) sum_s mu_k(x, z_{k+1:K,s}); log q(z_k|x) of a sample is the mixture
 * log (1/S) sum_s N(z_k; mu_k(x, .s), sigma_k^2(x, .s)). Bottom-up inference samples z_1 first, so p(z_k|.)'s
 * conditioning layers are not drawn before z_k: it is refused with that reason.</li>
 * </ul>
 * The noise of an example depends only on (seed, id), so the values do not depend on batching.
 */
public final class SampledPosterior {
    /** Noise stream of these samples. */
    public static final long STREAM = 0x5A6E_C011_A95EL;

    private final Vae model;
    private final long seed;
    private final int samples;

    public SampledPosterior(Vae model, long seed, int samples) {
        String reason = unsupported(model.config());
        if (reason != null) {
            throw new IllegalArgumentException(reason);
        }
        if (samples < 2) {
            throw new IllegalArgumentException("need at least 2 samples per example, got " + samples);
        }
        this.model = model;
        this.seed = seed;
        this.samples = samples;
    }

    /** Null when the model is an HVAE or a one-layer model with a flow posterior, else why these figures do not apply. */
    public static String unsupported(VaeConfig c) {
        if (c.kind() == ModelKind.HVAE) {
            return c.structure().hierarchy().inference() != HierarchyInference.BOTTOM_UP ? null
                    : "model.hierarchy.inference=bottom-up: the nested per-layer estimate needs the layers above z_k drawn before "
                    + "it (top-down or bidirectional inference); bottom-up inference draws z_1 first";
        }
        if ((c.kind() == ModelKind.VAE || c.kind() == ModelKind.CVAE) && c.posterior().kind() != PosteriorKind.GAUSSIAN) {
            return null;
        }
        return "model.kind=" + c.kind().name().toLowerCase() + ", model.posterior.kind=" + c.posterior().kind().name().toLowerCase()
                + ": the sampled per-layer statistics cover the hvae and flow posteriors";
    }

    /** The latent layers, in the order of {@link SampledExample#layers()}. */
    public static List<String> layers(VaeConfig c) {
        if (c.kind() != ModelKind.HVAE) {
            return List.of("z");
        }
        List<String> out = new java.util.ArrayList<>();
        for (int k = c.structure().hierarchy().layers(); k >= 1; k--) {
            out.add("z" + k);
        }
        return out;
    }

    /**
     * @param ids    example ids
     * @param x      model inputs, row-major [ids.length, D]
     * @param labels labels (a CVAE needs them), or null
     */
    public SampledExample[] encode(long[] ids, float[] x, int[] labels) {
        VaeConfig c = model.config();
        int batch = ids.length;
        int width = c.noiseDim();
        float[] eps = new float[samples * batch * width];
        NoiseSource.fill(eps, seed, STREAM, ids, 0, samples, width);
        INDArray xs = Vae.matrix(x, batch, c.inputDim());
        INDArray noise = Nd4j.create(eps, new long[]{samples, batch, width}, 'c');
        Vae.Feed feed = Labels.feed(c, xs, noise, c.beta(), ids, labels);
        boolean hvae = c.kind() == ModelKind.HVAE;
        int top = hvae ? c.structure().hierarchy().layers() : 1;
        List<String> wanted = new java.util.ArrayList<>(List.of(VaeNames.LOG_QZ_X, VaeNames.LOG_PZ, VaeNames.Z_SAMPLE));
        if (hvae) {
            wanted.addAll(List.of(VaeNames.layerKl(top), VaeNames.Z_MEAN, VaeNames.Z_LOGVAR));
            for (int k = 1; k < top; k++) {
                wanted.addAll(List.of(VaeNames.layerMean(k), VaeNames.layerLogvar(k), VaeNames.layerSample(k),
                        VaeNames.layerPriorMean(k), VaeNames.layerPriorLogvar(k)));
            }
        }
        String[] names = wanted.toArray(new String[0]);
        Map<String, INDArray> out = model.output(feed, names);
        Map<String, double[]> v = new java.util.HashMap<>();
        for (String name : names) {
            v.put(name, PosteriorEncoder.doubles(out.get(name)));
        }
        NativeMemory.release(out.values());
        NativeMemory.release(xs, noise);
        if (feed.labels() != null) {
            NativeMemory.release(feed.labels(), feed.labelled());
        }
        SampledExample[] result = new SampledExample[batch];
        for (int b = 0; b < batch; b++) {
            double klTotal = 0;
            for (int s = 0; s < samples; s++) {
                klTotal += v.get(VaeNames.LOG_QZ_X)[s * batch + b] - v.get(VaeNames.LOG_PZ)[s * batch + b];
            }
            klTotal /= samples;
            LayerSample[] layers = new LayerSample[top];
            if (hvae) {
                layers[0] = top(c, v, b, batch);
                for (int k = top - 1; k >= 1; k--) {
                    layers[top - k] = lower(k, c.structure().hierarchy().dim(k), v, b, batch);
                }
            } else {
                layers[0] = flow(c, v, b, batch);
            }
            result[b] = new SampledExample(ids[b], klTotal, layers);
        }
        return result;
    }

    private LayerSample flow(VaeConfig c, Map<String, double[]> v, int b, int batch) {
        int d = c.latentDim();
        double[] z = v.get(VaeNames.Z_SAMPLE);
        double kl = 0;
        for (int s = 0; s < samples; s++) {
            kl += v.get(VaeNames.LOG_QZ_X)[s * batch + b] - v.get(VaeNames.LOG_PZ)[s * batch + b];
        }
        double[][] moments = sampleMoments(z, b, batch, d);
        return new LayerSample(kl / samples, null, moments[0], moments[1], row(z, 0, b, batch, d),
                v.get(VaeNames.LOG_QZ_X)[b], null, null);
    }

    private LayerSample top(VaeConfig c, Map<String, double[]> v, int b, int batch) {
        int d2 = c.priorDim();
        double[] mu = java.util.Arrays.copyOfRange(v.get(VaeNames.Z_MEAN), b * d2, (b + 1) * d2);
        double[] lv = java.util.Arrays.copyOfRange(v.get(VaeNames.Z_LOGVAR), b * d2, (b + 1) * d2);
        double[] perDim = PosteriorEncoder.factorisedPrior(c) ? PosteriorEncoder.standardKl(mu, lv) : null;
        double kl = 0;
        if (perDim != null) {
            for (double k : perDim) {
                kl += k;
            }
        } else {
            for (int s = 0; s < samples; s++) {
                kl += v.get(VaeNames.layerKl(c.structure().hierarchy().layers()))[s * batch + b] / samples;
            }
        }
        double[] z = row(v.get(VaeNames.Z_SAMPLE), 0, b, batch, d2);
        return new LayerSample(kl, perDim, mu, new double[d2], z, AggregatePosterior.logNormal(z, mu, lv), mu, lv);
    }

    /** Layer k &lt; K: the nested estimate over the S samples of the layers above. */
    private LayerSample lower(int k, int d1, Map<String, double[]> v, int b, int batch) {
        double[] perDim = new double[d1];
        LogMeanExp logQ = new LogMeanExp();
        double[] z = row(v.get(VaeNames.layerSample(k)), 0, b, batch, d1);
        for (int s = 0; s < samples; s++) {
            double[] mu = row(v.get(VaeNames.layerMean(k)), s, b, batch, d1);
            double[] lv = row(v.get(VaeNames.layerLogvar(k)), s, b, batch, d1);
            double[] pm = row(v.get(VaeNames.layerPriorMean(k)), s, b, batch, d1);
            double[] plv = row(v.get(VaeNames.layerPriorLogvar(k)), s, b, batch, d1);
            for (int j = 0; j < d1; j++) {
                double diff = mu[j] - pm[j];
                perDim[j] += 0.5 * (plv[j] - lv[j] + (Math.exp(lv[j]) + diff * diff) * Math.exp(-plv[j]) - 1) / samples;
            }
            logQ.add(AggregatePosterior.logNormal(z, mu, lv));
        }
        double kl = 0;
        for (double perDimKl : perDim) {
            kl += perDimKl;
        }
        double[][] moments = sampleMoments(v.get(VaeNames.layerMean(k)), b, batch, d1);
        return new LayerSample(kl, perDim, moments[0], moments[1], z, logQ.value(),
                row(v.get(VaeNames.layerMean(k)), 0, b, batch, d1), row(v.get(VaeNames.layerLogvar(k)), 0, b, batch, d1));
    }

    /** The mean over samples of rows (s, b) of a [S, B, d] array, and the variance of that mean (sample variance / S). */
    private double[][] sampleMoments(double[] a, int b, int batch, int d) {
        double[] mean = new double[d];
        double[] sq = new double[d];
        for (int s = 0; s < samples; s++) {
            double[] r = row(a, s, b, batch, d);
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / samples;
            }
        }
        for (int s = 0; s < samples; s++) {
            double[] r = row(a, s, b, batch, d);
            for (int j = 0; j < d; j++) {
                sq[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            sq[j] /= (double) (samples - 1) * samples;
        }
        return new double[][]{mean, sq};
    }

    private static double[] row(double[] a, int s, int b, int batch, int d) {
        int start = (s * batch + b) * d;
        return java.util.Arrays.copyOfRange(a, start, start + d);
    }
}
