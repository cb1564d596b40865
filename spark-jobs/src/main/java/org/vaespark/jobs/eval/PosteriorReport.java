package org.vaespark.jobs.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The aggregated-posterior statistics of one model on one split (Hoffman &amp; Johnson 2016):
 * the summary figures, present or absent with a reason, and the per-dimension diagnostics.
 *
 * @param metrics          mutual_information, marginal_kl, avg_kl, surgery_gap, active_units,
 *                         posthoc_gmm_iwae, model_prior_iwae_same_samples, posthoc_gmm_gain
 * @param klPerDim         mean closed-form KL per latent dimension (N(0, I) prior); null when absent
 * @param klPerDimNote     why klPerDim is absent; null when present
 * @param meanVariance     Var_x(E_q[z_j|x]) per latent dimension (unbiased); null when not computed
 * @param meanVarianceNote why meanVariance is absent; null when present
 * @param dimLayers        the latent layer of each dimension of klPerDim and meanVariance (z2, z1 in an HVAE);
 *                         null for a one-layer model
 */
public record PosteriorReport(List<MetricValue> metrics, double[] klPerDim, String klPerDimNote, double[] meanVariance,
                              String meanVarianceNote, List<String> dimLayers) implements Serializable {

    public static final String MUTUAL_INFORMATION = "mutual_information";
    public static final String MARGINAL_KL = "marginal_kl";
    public static final String AVG_KL = "avg_kl";
    public static final String SURGERY_GAP = "surgery_gap";
    public static final String ACTIVE_UNITS = "active_units";
    public static final String POSTHOC_GMM_IWAE = "posthoc_gmm_iwae";
    public static final String MODEL_PRIOR_IWAE = "model_prior_iwae_same_samples";
    public static final String POSTHOC_GMM_GAIN = "posthoc_gmm_gain";
    /** HVAE: avg_kl less the sum of the per-layer KLs, per example (zero up to Monte-Carlo error). */
    public static final String LAYER_KL_GAP = "layer_kl_gap";

    /** Every figure's name, in report order. */
    public static final List<String> NAMES = List.of(MUTUAL_INFORMATION, MARGINAL_KL, AVG_KL, SURGERY_GAP, ACTIVE_UNITS,
            POSTHOC_GMM_IWAE, MODEL_PRIOR_IWAE, POSTHOC_GMM_GAIN);

    /** A report whose every figure is absent for the same reason. */
    public static PosteriorReport absent(String reason) {
        List<MetricValue> metrics = new ArrayList<>();
        for (String name : NAMES) {
            metrics.add(MetricValue.absent(name, reason));
        }
        return new PosteriorReport(List.copyOf(metrics), null, reason, null, reason, null);
    }

    /** The figure of one latent layer, e.g. {@code active_units_z1}. */
    public static String ofLayer(String name, String layer) {
        return name + "_" + layer;
    }

    /** The figure called {@code name}. */
    public MetricValue metric(String name) {
        for (MetricValue m : metrics) {
            if (m.metric().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no metric " + name + " in " + metrics.stream().map(MetricValue::metric).toList());
    }
}
