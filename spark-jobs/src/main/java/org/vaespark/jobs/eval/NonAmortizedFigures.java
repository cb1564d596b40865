package org.vaespark.jobs.eval;

import java.util.ArrayList;
import java.util.List;
import org.vaespark.core.eval.ImputationComparison;
import org.vaespark.core.eval.ImputationConfig;
import org.vaespark.core.eval.Summary;

/**
 * The summary figures of non-amortized imputation (Agarwal et al. 2023) beside pseudo-Gibbs (Rezende et al. 2014),
 * on the same masks and examples: the non-amortized masked-pixel error (pseudo-Gibbs's is
 * {@link DistributedImputation#MSE}), and the masked log-likelihood log (1/S) Σ_s p(x_m | z_s) of both methods by
 * the one estimator, each a mean ± s.e. over the examples with a missing pixel.
 */
final class NonAmortizedFigures {
    static final String MSE = "imputation_mse_non_amortized";
    static final String ERROR_RATE = "imputation_error_rate_non_amortized";
    static final String LOGLIK_GIBBS = "imputation_masked_loglik_gibbs";
    static final String LOGLIK = "imputation_masked_loglik_non_amortized";
    static final String ELBO_START = "imputation_observed_elbo_start";
    static final String ELBO_END = "imputation_observed_elbo_end";

    private NonAmortizedFigures() {
    }

    static List<String> names(boolean binary) {
        return binary ? List.of(MSE, ERROR_RATE, LOGLIK_GIBBS, LOGLIK, ELBO_START, ELBO_END)
                : List.of(MSE, LOGLIK_GIBBS, LOGLIK, ELBO_START, ELBO_END);
    }

    static List<MetricValue> absent(boolean binary, String reason) {
        List<MetricValue> out = new ArrayList<>();
        for (String m : names(binary)) {
            out.add(MetricValue.absent(m, "not computed: " + reason));
        }
        return out;
    }

    static List<MetricValue> of(List<ImputationComparison> all, ImputationConfig mask, DistributedImputation.NonAmortized na,
                                boolean binary) {
        Summary mse = new Summary();
        Summary err = new Summary();
        Summary gibbs = new Summary();
        Summary refined = new Summary();
        Summary start = new Summary();
        Summary end = new Summary();
        for (ImputationComparison c : all) {
            if (c.masked() == 0) {
                continue;
            }
            mse.add(c.refinedMse());
            err.add(c.refinedErrorRate());
            gibbs.add(c.gibbsLogLik());
            refined.add(c.refinedLogLik());
            start.add(c.observedElboStart());
            end.add(c.observedElboEnd());
        }
        String where = mask.describe();
        if (mse.n() == 0) {
            return absent(binary, "no example had a hidden pixel (" + where + ")");
        }
        int s = na.config().samples();
        String how = "q_ψ per example from the encoder's output with the missing pixels at their training mean ("
                + na.trainingMeanNote() + "), " + na.config().describe() + " on the observed pixels' ELBO";
        String estimator = "log (1/S) Σ_s p(x_m|z_s), S = " + s + " (the same noise draws for both methods), " + where;
        List<MetricValue> out = new ArrayList<>();
        out.add(figure(MSE, mse, null, "mean squared error of the hidden pixels on [0, 1], imputed by the mean over S = " + s
                + " draws of q_ψ of the decoder's mean; " + how));
        if (binary) {
            out.add(figure(ERROR_RATE, err, null, "share of hidden pixels wrong after thresholding that imputation at 0.5; " + how));
        }
        out.add(figure(LOGLIK_GIBBS, gibbs, s, "masked log-likelihood, z_s from q_φ(z|x_o, x̂_m) at pseudo-Gibbs's final "
                + "imputation x̂_m: " + estimator));
        out.add(figure(LOGLIK, refined, s, "masked log-likelihood, z_s from the non-amortized q_ψ: " + estimator + "; " + how));
        out.add(figure(ELBO_START, start, null, "ELBO of the observed pixels at q_ψ's start (the encoder's output), on the "
                + "refinement's own samples"));
        out.add(figure(ELBO_END, end, null, "ELBO of the observed pixels before the last Adam step, on the refinement's own "
                + "samples: with " + ELBO_START + ", whether the refinement converged"));
        return out;
    }

    private static MetricValue figure(String name, Summary s, Integer k, String note) {
        if (!Double.isFinite(s.mean())) {
            return MetricValue.absent(name, "not finite (" + s.mean() + "): " + note);
        }
        return MetricValue.of(name, s.mean(), s.n() > 1 ? s.standardError() : null, s.n(), k, note);
    }
}
