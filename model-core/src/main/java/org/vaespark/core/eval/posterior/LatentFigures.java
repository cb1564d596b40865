package org.vaespark.core.eval.posterior;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.samediff.Vae;

/**
 * The cheap posterior-collapse figures of a training checkpoint on a small fixed set of examples:
 * the mean KL per latent dimension and the active units, Var_x(E_q[z_j|x]) above a threshold
 * (Burda et al. 2016), per layer. One-layer Gaussian posteriors use {@link PosteriorEncoder}
 * (closed-form KL per dimension for the N(0, I) prior); flows and the HVAE use
 * {@link SampledPosterior} (Monte-Carlo E_q, its Monte-Carlo variance subtracted). A figure that
 * does not apply (KL per dimension of a flow or against a prior that is not factorised; anything
 * for M2) is left out of the map, never written as a number.
 *
 * <p>Keys: {@code latent_examples}; {@code active_units} (all layers); per layer with a suffix in an
 * HVAE ({@code _z2}, {@code _z1}): {@code active_units_<layer>} and {@code latent_kl_per_dim[_<layer>]}.
 */
public final class LatentFigures {
    private LatentFigures() {
    }

    /** Why the model has no such figures, or null. */
    public static String unsupported(VaeConfig c) {
        String one = PosteriorEncoder.unsupported(c);
        String sampled = SampledPosterior.unsupported(c);
        return one == null || sampled == null ? null : one + "; " + sampled;
    }

    /**
     * @param ids       example ids (they select the noise)
     * @param x         model inputs, row-major [ids.length, D]
     * @param labels    labels (a CVAE needs them), or null
     * @param threshold a dimension is active when its variance exceeds this
     * @param samples   S for the sampled posteriors
     */
    public static Map<String, Object> measure(Vae model, long seed, long[] ids, float[] x, int[] labels, double threshold, int samples) {
        VaeConfig c = model.config();
        Map<String, Object> m = new LinkedHashMap<>();
        if (unsupported(c) != null || ids.length < 2) {
            return m;
        }
        m.put("latent_examples", ids.length);
        int n = ids.length;
        if (PosteriorEncoder.unsupported(c) == null) {
            EncodedExample[] e = new PosteriorEncoder(model, seed).encode(ids, x, labels);
            double[][] means = new double[n][];
            double[][] kl = e[0].klPerDim() == null ? null : new double[n][];
            for (int i = 0; i < n; i++) {
                means[i] = e[i].mean();
                if (kl != null) {
                    kl[i] = e[i].klPerDim();
                }
            }
            int active = activeUnits(means, new double[n][c.latentDim()], threshold);
            m.put("active_units", active);
            if (kl != null) {
                m.put("latent_kl_per_dim", columnMeans(kl));
            }
            return m;
        }
        SampledExample[] e = new SampledPosterior(model, seed, samples).encode(ids, x, labels);
        List<String> layers = SampledPosterior.layers(c);
        int total = 0;
        for (int l = 0; l < layers.size(); l++) {
            String suffix = layers.size() > 1 ? "_" + layers.get(l) : "";
            double[][] means = new double[n][];
            double[][] mc = new double[n][];
            double[][] kl = e[0].layers()[l].klPerDim() == null ? null : new double[n][];
            for (int i = 0; i < n; i++) {
                LayerSample s = e[i].layers()[l];
                means[i] = s.posteriorMean();
                mc[i] = s.meanMcVariance();
                if (kl != null) {
                    kl[i] = s.klPerDim();
                }
            }
            int active = activeUnits(means, mc, threshold);
            total += active;
            if (layers.size() > 1) {
                m.put("active_units" + suffix, active);
            }
            if (kl != null) {
                m.put("latent_kl_per_dim" + suffix, columnMeans(kl));
            }
        }
        m.put("active_units", total);
        return m;
    }

    /** Dimensions whose unbiased Var_x(mean_j) less the mean Monte-Carlo variance exceeds the threshold. */
    static int activeUnits(double[][] means, double[][] mcVariance, double threshold) {
        int n = means.length;
        double[] mean = columnMeans(means);
        double[] mc = columnMeans(mcVariance);
        int active = 0;
        for (int j = 0; j < mean.length; j++) {
            double v = 0;
            for (double[] row : means) {
                v += (row[j] - mean[j]) * (row[j] - mean[j]) / (n - 1);
            }
            active += v - mc[j] > threshold ? 1 : 0;
        }
        return active;
    }

    private static double[] columnMeans(double[][] rows) {
        double[] out = new double[rows[0].length];
        for (double[] row : rows) {
            for (int j = 0; j < out.length; j++) {
                out[j] += row[j] / rows.length;
            }
        }
        return out;
    }
}
