package org.vaespark.core.linear;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every figure of a {@link PpcaComparison}, with its Markdown page and CSV tables. Log-likelihoods and ELBOs are
 * mean nats per example under the Gaussian density of the data as given (pixels in [0, 1] for MNIST).
 */
public record PpcaReport(int dimension, int latentDim, long trainCount, long testCount, double mlNoiseVariance,
                         double[] topEigenvalues, Fit fit, double[] anglesDegrees, ColumnMatch[] matches,
                         List<Collapse> sweep, LinearVaeConfig config) {

    /** Exact log p(x) of both models, the rotated PPCA, and the diagonal-posterior gaps. */
    public record Fit(double ppcaSigma2, double vaeSigma2, double ppcaTrainLogLik, double vaeTrainLogLik, double vaeTrainElbo,
                      double ppcaTestLogLik, double vaeTestLogLik, double vaeTestElbo, double rotatedTrainLogLik,
                      double rotatedTestLogLik, double ppcaDiagonalGap, double rotatedDiagonalGap, double vaeDiagonalGap,
                      double vaeTrainSeconds) {
        /** PPCA's maximum minus the VAE's exact log p(x) on the training data (≥ 0 up to rounding). */
        public double trainShortfall() {
            return ppcaTrainLogLik - vaeTrainLogLik;
        }
    }

    /**
     * One σ² of the collapse sweep ({@code maximumLikelihood}: σ² learned, the VAE of the main comparison).
     * KLs are sorted descending; the theory for dimension i is ½ log(max(λ_i, σ²) / σ²).
     */
    public record Collapse(double sigma2, boolean maximumLikelihood, int theoryCollapsed, int vaeCollapsed, double maxKlError,
                           double[] vaeKl, double[] theoryKl, double ppcaTrainLogLik) {
    }

    public boolean withinTolerance() {
        return Math.abs(fit.trainShortfall()) <= config.toleranceNats();
    }

    public double maxAngleDegrees() {
        double m = 0;
        for (double a : anglesDegrees) {
            m = Math.max(m, a);
        }
        return m;
    }

    /** metric,ppca,linear_vae rows. */
    public String summaryCsv() {
        StringBuilder s = new StringBuilder("metric,ppca,linear_vae\n");
        row(s, "sigma2", fit.ppcaSigma2, fit.vaeSigma2);
        row(s, "train_log_px", fit.ppcaTrainLogLik, fit.vaeTrainLogLik);
        row(s, "train_elbo", Double.NaN, fit.vaeTrainElbo);
        row(s, "test_log_px", fit.ppcaTestLogLik, fit.vaeTestLogLik);
        row(s, "test_elbo", Double.NaN, fit.vaeTestElbo);
        row(s, "diagonal_posterior_gap", fit.ppcaDiagonalGap, fit.vaeDiagonalGap);
        row(s, "rotated_train_log_px", fit.rotatedTrainLogLik, Double.NaN);
        row(s, "rotated_diagonal_posterior_gap", fit.rotatedDiagonalGap, Double.NaN);
        row(s, "max_principal_angle_deg", Double.NaN, maxAngleDegrees());
        return s.toString();
    }

    private static void row(StringBuilder s, String name, double a, double b) {
        s.append(name).append(',').append(csv(a)).append(',').append(csv(b)).append('\n');
    }

    private static String csv(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    public String anglesCsv() {
        StringBuilder s = new StringBuilder("index,angle_deg\n");
        for (int i = 0; i < anglesDegrees.length; i++) {
            s.append(i + 1).append(',').append(anglesDegrees[i]).append('\n');
        }
        return s.toString();
    }

    public String matchingCsv() {
        StringBuilder s = new StringBuilder("vae_column,principal_index,sign,abs_cosine,vae_norm,ppca_norm,relative_residual\n");
        for (ColumnMatch m : matches) {
            s.append(m.vaeColumn() + 1).append(',').append(m.principalIndex() + 1).append(',').append(m.sign()).append(',')
                    .append(m.absCosine()).append(',').append(m.vaeNorm()).append(',').append(m.ppcaNorm()).append(',')
                    .append(m.relativeResidual()).append('\n');
        }
        return s.toString();
    }

    public String collapseCsv() {
        StringBuilder s = new StringBuilder("sigma2,maximum_likelihood,dimension,eigenvalue,vae_kl,theory_kl\n");
        for (Collapse c : sweep) {
            for (int i = 0; i < latentDim; i++) {
                s.append(c.sigma2).append(',').append(c.maximumLikelihood).append(',').append(i + 1).append(',')
                        .append(topEigenvalues[i]).append(',').append(c.vaeKl[i]).append(',').append(c.theoryKl[i]).append('\n');
            }
        }
        return s.toString();
    }

    /** The page: the side-by-side table, angles, identifiability, matching and the collapse sweep. */
    public String markdown(String title) {
        List<String> l = new ArrayList<>();
        l.add("# " + title);
        l.add("");
        l.add(f("D = %d pixels, d = %d latent dimensions, %d training and %d held-out examples. Linear VAE: %d full-batch Adam "
                        + "steps on the analytic ELBO, learning rate %.3g → %.3g, seed %d, trained in %.1f s.",
                dimension, latentDim, trainCount, testCount, config.steps(), config.learningRate(), config.finalLearningRate(),
                config.seed(), fit.vaeTrainSeconds));
        l.add("");
        l.add("| nats per example | PPCA (closed form) | linear VAE |");
        l.add("|---|---|---|");
        l.add(f("| σ² | %.6g | %.6g |", fit.ppcaSigma2, fit.vaeSigma2));
        l.add(f("| exact log p(x), train | %.4f | %.4f |", fit.ppcaTrainLogLik, fit.vaeTrainLogLik));
        l.add(f("| ELBO, train | — | %.4f |", fit.vaeTrainElbo));
        l.add(f("| exact log p(x), held out | %.4f | %.4f |", fit.ppcaTestLogLik, fit.vaeTestLogLik));
        l.add(f("| ELBO, held out | — | %.4f |", fit.vaeTestElbo));
        l.add(f("| best diagonal-posterior gap ½(Σ log M_jj − log\\|M\\|) | %.3g | %.3g |", fit.ppcaDiagonalGap, fit.vaeDiagonalGap));
        l.add("");
        l.add(f("PPCA's maximum minus the VAE's exact log p(x) on the training data: %.3g nats (tolerance %.3g: %s).",
                fit.trainShortfall(), config.toleranceNats(), withinTolerance() ? "within" : "NOT within"));
        l.add("");
        l.add(f("Principal angles between the two %d-dimensional subspaces (degrees): max %.3g; all: %s.", latentDim,
                maxAngleDegrees(), join(anglesDegrees, "%.2g")));
        l.add("");
        l.add(f("Rotation invariance: PPCA with W R (R a random orthogonal %dx%d) has log p(x) %.6f on train (PPCA %.6f, "
                        + "difference %.2g) and %.6f held out; but its best diagonal posterior falls %.3g nats short of log p(x), "
                        + "against %.3g for W itself.", latentDim, latentDim, fit.rotatedTrainLogLik, fit.ppcaTrainLogLik,
                fit.rotatedTrainLogLik - fit.ppcaTrainLogLik, fit.rotatedTestLogLik, fit.rotatedDiagonalGap, fit.ppcaDiagonalGap));
        l.add("");
        l.add("Decoder columns matched to principal directions (largest |cos|) — " + (ColumnMatch.isPermutation(matches)
                ? "a signed permutation:" : "NOT a permutation:"));
        l.add("");
        l.add("| VAE column | principal direction i | sign | \\|cos\\| | ‖w_j‖ | √(λ_i − σ²) | ‖w_j − sign·w_i^PPCA‖ / ‖w_i^PPCA‖ |");
        l.add("|---|---|---|---|---|---|---|");
        for (ColumnMatch m : matches) {
            l.add(f("| %d | %d | %+d | %.6f | %.4f | %.4f | %.2g |", m.vaeColumn() + 1, m.principalIndex() + 1, m.sign(), m.absCosine(),
                    m.vaeNorm(), m.ppcaNorm(), m.relativeResidual()));
        }
        l.add("");
        l.add(f("Collapse sweep: the linear VAE retrained with σ² fixed. Theory: KL_i = ½ log(max(λ_i, σ²)/σ²), so dimensions "
                + "with λ_i < σ² collapse (KL = 0). Collapsed = mean KL below %.3g nats. λ_1..λ_%d = %s.", config.collapseKlNats(),
                latentDim + 1, join(topEigenvalues, "%.4g")));
        l.add("");
        l.add("| σ² | collapsed (theory) | collapsed (VAE) | max \\|KL − theory\\| | VAE KL per dimension, descending |");
        l.add("|---|---|---|---|---|");
        for (Collapse c : sweep) {
            l.add(f("| %.4g%s | %d | %d | %.2g | %s |", c.sigma2, c.maximumLikelihood ? " (ML, learned)" : "", c.theoryCollapsed,
                    c.vaeCollapsed, c.maxKlError, join(c.vaeKl, "%.3f")));
        }
        l.add("");
        return String.join("\n", l);
    }

    private static String join(double[] v, String format) {
        List<String> s = new ArrayList<>();
        for (double x : v) {
            s.add(String.format(Locale.ROOT, format, x));
        }
        return String.join(", ", s);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
