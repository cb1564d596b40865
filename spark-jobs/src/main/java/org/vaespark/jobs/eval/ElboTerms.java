package org.vaespark.jobs.eval;

import java.util.ArrayList;
import java.util.List;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;

/**
 * The ELBO's terms as summary figures (Kingma &amp; Welling 2014): the reconstruction term
 * E_q[log p(x|z)] and the KL(q(z|x) ‖ p(z)), closed form where the model has one
 * (docs/math.md, Training objectives), else the Monte-Carlo mean of log q(z|x) − log p(z) over the k samples. A
 * hierarchical VAE also gets its KL per layer on the same samples, {@code kl_z<k>} = E[log q(z_k|.) − log p(z_k|.)]
 * for k = 1..K ({@code VaeNames#layerKl}), which sum to {@code kl}; one-layer models emit none.
 */
final class ElboTerms {

    private ElboTerms() {
    }

    /** The terms' means ± standard errors over the evaluated examples. */
    static List<MetricValue> of(VaeConfig model, int k, List<ExampleEstimate> estimates) {
        Summary reconstruction = new Summary();
        Summary kl = new Summary();
        int layers = estimates.isEmpty() || !estimates.get(0).hasLayerKl() ? 0 : estimates.get(0).layerKl().length;
        Summary[] perLayer = new Summary[layers];
        for (int l = 0; l < layers; l++) {
            perLayer[l] = new Summary();
        }
        boolean layered = layers > 0;
        for (ExampleEstimate e : estimates) {
            reconstruction.add(e.reconstruction());
            kl.add(e.kl());
            if (e.hasLayerKl() && e.layerKl().length == layers) {
                for (int l = 0; l < layers; l++) {
                    perLayer[l].add(e.layerKl()[l]);
                }
            } else {
                layered = false;
            }
        }
        String klHow = model.analyticKl() ? "closed-form KL to N(0, I)" : "Monte-Carlo KL: mean of log q(z|x) − log p(z) over k samples";
        List<MetricValue> out = new ArrayList<>(List.of(
                MetricValue.of("reconstruction", reconstruction.mean(), reconstruction.standardError(), reconstruction.n(), k,
                        "E_q[log p(x|z)] in nats, mean over k samples"),
                MetricValue.of("kl", kl.mean(), kl.standardError(), kl.n(), k, klHow + ", nats")));
        for (int l = 0; layered && l < layers; l++) {
            int layer = l + 1;
            String where = layer == 1 ? "bottom layer" : layer == layers ? "top layer" : "layer " + layer;
            String p = layer == layers ? "log p(z" + layer + ")" : "log p(z" + layer + "|.)";
            out.add(MetricValue.of(VaeNames.layerKl(layer), perLayer[l].mean(), perLayer[l].standardError(), perLayer[l].n(),
                    k, where + ": Monte-Carlo mean of log q(z" + layer + "|.) − " + p + " over the k samples, nats"));
        }
        return out;
    }
}
