package org.vaespark.core.linear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Probabilistic PCA against a trained linear VAE on the same data (Tipping &amp; Bishop 1999; Lucas et al. 2019):
 * the exact log p(x) of both on the training and held-out moments, the principal angles between their
 * subspaces, PPCA's rotation invariance (W R gives the same log p(x) but a diagonal posterior loses to it),
 * the matching of the VAE's decoder columns to the principal directions, and the collapse sweep over fixed σ².
 */
public final class PpcaComparison {
    private PpcaComparison() {
    }

    /** Runs every part; {@code spectrum} is the eigen-decomposition of {@code train}'s covariance. */
    public static PpcaReport compare(Moments train, Moments test, Spectrum spectrum, LinearVaeConfig config) {
        int d = config.latentDim();
        LinearGaussian ppca = Ppca.fit(train, spectrum, d);
        LinearVaeTrainer trainer = new LinearVaeTrainer(config);
        long t0 = System.nanoTime();
        LinearVae vae = trainer.fit(train);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        LinearGaussian decoder = vae.decoder();
        LinearVae.Terms trainTerms = vae.terms(train);
        LinearVae.Terms testTerms = vae.terms(test);
        LinearGaussian rotated = ppca.rotated(Subspaces.randomRotation(d, config.seed() + 1));

        PpcaReport.Fit fit = new PpcaReport.Fit(ppca.sigma2(), decoder.sigma2(), ppca.meanLogLikelihood(train), decoder.meanLogLikelihood(train),
                trainTerms.elbo(), ppca.meanLogLikelihood(test), decoder.meanLogLikelihood(test), testTerms.elbo(),
                rotated.meanLogLikelihood(train), rotated.meanLogLikelihood(test), ppca.diagonalPosteriorGap(), rotated.diagonalPosteriorGap(),
                decoder.diagonalPosteriorGap(), trainSeconds);
        double[] angles = Subspaces.principalAnglesDegrees(ppca.w(), decoder.w());
        ColumnMatch[] matches = ColumnMatch.of(decoder, ppca, spectrum);

        List<PpcaReport.Collapse> sweep = new ArrayList<>();
        sweep.add(collapse(train, spectrum, d, ppca.sigma2(), -1, trainTerms.klPerDim(), config.collapseKlNats()));
        for (int active : config.collapseActive()) {
            double[] ev = spectrum.eigenvalues();
            // between λ_k and λ_{k+1} (1-based), geometrically; above λ_1 when no dimension should stay active
            double sigma2 = active > 0 ? Math.sqrt(ev[active - 1] * ev[active]) : 2 * ev[0];
            LinearVae fixed = trainer.fit(train, sigma2);
            sweep.add(collapse(train, spectrum, d, sigma2, active, fixed.terms(train).klPerDim(), config.collapseKlNats()));
        }
        double[] top = Arrays.copyOf(spectrum.eigenvalues(), d + 1);
        return new PpcaReport(train.dimension(), d, train.count(), test.count(), spectrum.noiseVariance(d), top, fit, angles,
                matches, sweep, config);
    }

    private static PpcaReport.Collapse collapse(Moments train, Spectrum spectrum, int d, double sigma2, int active, double[] kl,
                                                double threshold) {
        double[] sorted = kl.clone();
        Arrays.sort(sorted);
        double[] vaeKl = new double[d];
        double[] theory = new double[d];
        int collapsed = 0;
        int theoryCollapsed = 0;
        double maxError = 0;
        for (int i = 0; i < d; i++) {
            vaeKl[i] = sorted[d - 1 - i];
            theory[i] = 0.5 * Math.log(Math.max(spectrum.eigenvalues()[i], sigma2) / sigma2);
            collapsed += vaeKl[i] < threshold ? 1 : 0;
            theoryCollapsed += spectrum.eigenvalues()[i] <= sigma2 ? 1 : 0;
            maxError = Math.max(maxError, Math.abs(vaeKl[i] - theory[i]));
        }
        return new PpcaReport.Collapse(sigma2, active < 0, theoryCollapsed, collapsed, maxError, vaeKl, theory,
                Ppca.withNoise(train, spectrum, d, sigma2).meanLogLikelihood(train));
    }
}
