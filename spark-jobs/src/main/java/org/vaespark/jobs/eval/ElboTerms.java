package org.vaespark.jobs.eval;

import java.util.List;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.model.VaeConfig;

/**
 * The ELBO's two terms as summary figures (Kingma &amp; Welling 2014): the reconstruction term
 * E_q[log p(x|z)] and the KL(q(z|x) ‖ p(z)), closed form where the model has one
 * (SCIENCE.md), else the Monte-Carlo mean of log q(z|x) − log p(z) over the k samples.
 */
final class ElboTerms {
    private ElboTerms() {
    }

    static List<MetricValue> of(VaeConfig model, int k, Summary reconstruction, Summary kl) {
        String klHow = model.analyticKl() ? "closed-form KL to N(0, I)" : "Monte-Carlo KL: mean of log q(z|x) − log p(z) over k samples";
        return List.of(
                MetricValue.of("reconstruction", reconstruction.mean(), reconstruction.standardError(), reconstruction.n(), k,
                        "E_q[log p(x|z)] in nats, mean over k samples"),
                MetricValue.of("kl", kl.mean(), kl.standardError(), kl.n(), k, klHow + ", nats"));
    }
}
