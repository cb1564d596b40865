package org.vaespark.jobs.eval;

import java.util.ArrayList;
import java.util.List;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.model.VaeConfig;

/**
 * The ELBO's terms as summary figures (Kingma &amp; Welling 2014): the reconstruction term
 * E_q[log p(x|z)] and the KL(q(z|x) ‖ p(z)), closed form where the model has one
 * (docs/math.md, Training objectives), else the Monte-Carlo mean of log q(z|x) − log p(z) over the k samples. A
 * two-layer HVAE (Tomczak &amp; Welling 2018) also gets its KL per layer on the same samples,
 * {@code kl_z2} = E[log q(z2|x) − log p(z2)] and {@code kl_z1} = E[log q(z1|x, z2) − log p(z1|z2)],
 * which sum to {@code kl}; one-layer models emit neither.
 */
final class ElboTerms {
    /** Metric names of the per-layer KLs of a hierarchical model. */
    static final String KL_Z1 = "kl_z1";
    static final String KL_Z2 = "kl_z2";

    private ElboTerms() {
    }

    /** The terms' means ± standard errors over the evaluated examples. */
    static List<MetricValue> of(VaeConfig model, int k, List<ExampleEstimate> estimates) {
        Summary reconstruction = new Summary();
        Summary kl = new Summary();
        Summary klZ1 = new Summary();
        Summary klZ2 = new Summary();
        boolean layered = !estimates.isEmpty();
        for (ExampleEstimate e : estimates) {
            reconstruction.add(e.reconstruction());
            kl.add(e.kl());
            if (e.hasLayerKl()) {
                klZ1.add(e.klZ1());
                klZ2.add(e.klZ2());
            } else {
                layered = false;
            }
        }
        String klHow = model.analyticKl() ? "closed-form KL to N(0, I)" : "Monte-Carlo KL: mean of log q(z|x) − log p(z) over k samples";
        List<MetricValue> out = new ArrayList<>(List.of(
                MetricValue.of("reconstruction", reconstruction.mean(), reconstruction.standardError(), reconstruction.n(), k,
                        "E_q[log p(x|z)] in nats, mean over k samples"),
                MetricValue.of("kl", kl.mean(), kl.standardError(), kl.n(), k, klHow + ", nats")));
        if (layered) {
            out.add(MetricValue.of(KL_Z1, klZ1.mean(), klZ1.standardError(), klZ1.n(), k,
                    "bottom layer: Monte-Carlo mean of log q(z1|x, z2) − log p(z1|z2) over the k samples, nats"));
            out.add(MetricValue.of(KL_Z2, klZ2.mean(), klZ2.standardError(), klZ2.n(), k,
                    "top layer: Monte-Carlo mean of log q(z2|x) − log p(z2) over the k samples, nats"));
        }
        return out;
    }
}
