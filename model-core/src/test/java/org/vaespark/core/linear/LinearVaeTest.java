package org.vaespark.core.linear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * PPCA and the linear VAE on a covariance with a known spectrum, S = U diag(λ) Uᵀ for a random orthogonal U:
 * Woodbury against the dense Gaussian density, the analytic gradient against finite differences, and the
 * results of Tipping &amp; Bishop (1999) and Lucas et al. (2019) the PPCA job reports.
 */
class LinearVaeTest {
    static final double[] LAMBDA = {9, 6.5, 4.2, 3.0, 1.1, 0.9, 0.8, 0.7, 0.62, 0.55, 0.5, 0.45, 0.4, 0.36, 0.33, 0.3};
    static final int D = LAMBDA.length;
    static final int LATENT = 4;

    static Moments knownSpectrum(double[] lambda, long seed) {
        double[][] u = Subspaces.randomRotation(lambda.length, seed);
        double[][] s = new double[lambda.length][lambda.length];
        for (int i = 0; i < lambda.length; i++) {
            for (int j = 0; j < lambda.length; j++) {
                for (int k = 0; k < lambda.length; k++) {
                    s[i][j] += u[i][k] * lambda[k] * u[j][k];
                }
            }
        }
        double[] mean = new double[lambda.length];
        Random r = new Random(seed + 7);
        for (int i = 0; i < mean.length; i++) {
            mean[i] = r.nextDouble();
        }
        return new Moments(1000, mean, s);
    }

    static LinearVaeConfig config(int steps, List<Integer> collapse) {
        return new LinearVaeConfig(LATENT, steps, 0.02, 0.002, 0.01, 3, 1e-3, collapse, 0.01, 5000);
    }

    @Test
    void spectrumAndNoiseVarianceAreTheKnownOnes() {
        Spectrum sp = Spectrum.of(knownSpectrum(LAMBDA, 11));
        assertArrayEquals(LAMBDA, sp.eigenvalues(), 1e-10);
        double rest = 0;
        for (int i = LATENT; i < D; i++) {
            rest += LAMBDA[i];
        }
        assertEquals(rest / (D - LATENT), sp.noiseVariance(LATENT), 1e-12);
    }

    @Test
    void woodburyLogLikelihoodEqualsTheDenseGaussianDensity() {
        Moments data = knownSpectrum(LAMBDA, 11);
        LinearGaussian model = Ppca.fit(data, Spectrum.of(data), LATENT);
        LinearGaussian shifted = new LinearGaussian(model.w(), new double[D], 0.37);
        for (LinearGaussian g : List.of(model, shifted)) {
            double[][] c = Dense.multiply(g.w(), Dense.transpose(g.w()));
            double[][] a = new double[D][D];
            for (int i = 0; i < D; i++) {
                c[i][i] += g.sigma2();
                for (int j = 0; j < D; j++) {
                    a[i][j] = data.covariance()[i][j] + (data.mean()[i] - g.b()[i]) * (data.mean()[j] - g.b()[j]);
                }
            }
            double dense = -0.5 * (D * Math.log(2 * Math.PI) + Dense.logDet(c) + Dense.trace(Dense.solve(c, a)));
            assertEquals(dense, g.meanLogLikelihood(data), 1e-9);
        }
        // PPCA is the maximum: any other σ² or a shrunk W does worse
        double best = model.meanLogLikelihood(data);
        assertTrue(best > Ppca.withNoise(data, Spectrum.of(data), LATENT, model.sigma2() * 1.1).meanLogLikelihood(data));
        assertTrue(best > shifted.meanLogLikelihood(data));
    }

    @Test
    void analyticGradientMatchesFiniteDifferences() {
        Moments data = knownSpectrum(LAMBDA, 5);
        Random r = new Random(9);
        double[] theta = new double[LinearVae.size(D, LATENT)];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = 0.3 * r.nextGaussian();
        }
        LinearVae vae = new LinearVae(D, LATENT, theta);
        double[] g = vae.gradient(data);
        double h = 1e-6;
        for (int i = 0; i < theta.length; i++) {
            double keep = theta[i];
            theta[i] = keep + h;
            double up = vae.terms(data).elbo();
            theta[i] = keep - h;
            double down = vae.terms(data).elbo();
            theta[i] = keep;
            double fd = (up - down) / (2 * h);
            assertEquals(fd, g[i], 1e-5 * Math.max(1, Math.abs(fd)), "parameter " + i);
        }
    }

    @Test
    void trainedLinearVaeReachesPpcaWithAlignedColumnsAndTheRotationIsNotIdentifiable() {
        Moments data = knownSpectrum(LAMBDA, 11);
        PpcaReport report = PpcaComparison.compare(data, data, Spectrum.of(data), config(10000, List.of()));
        PpcaReport.Fit fit = report.fit();
        assertTrue(fit.trainShortfall() > -1e-9, "no model beats the maximum: " + fit.trainShortfall());
        assertTrue(fit.trainShortfall() < 1e-3, "VAE log p(x) short of PPCA by " + fit.trainShortfall());
        assertTrue(report.withinTolerance());
        assertEquals(fit.ppcaSigma2(), fit.vaeSigma2(), 1e-3 * fit.ppcaSigma2());
        // the VAE's ELBO is its exact log p(x) up to a tiny gap: its posterior family contains the exact posterior
        assertTrue(fit.vaeTrainLogLik() - fit.vaeTrainElbo() < 1e-3);
        assertTrue(report.maxAngleDegrees() < 0.5, "angles " + java.util.Arrays.toString(report.anglesDegrees()));
        assertTrue(ColumnMatch.isPermutation(report.matches()));
        for (ColumnMatch m : report.matches()) {
            assertTrue(m.absCosine() > 0.999 && m.relativeResidual() < 0.02, m.toString());
        }
        // rotation: same log p(x), but only axis-aligned columns let a diagonal posterior be exact
        assertEquals(fit.ppcaTrainLogLik(), fit.rotatedTrainLogLik(), 1e-9);
        assertTrue(fit.ppcaDiagonalGap() < 1e-12);
        assertTrue(fit.rotatedDiagonalGap() > 0.05, "rotated gap " + fit.rotatedDiagonalGap());
        assertTrue(fit.vaeDiagonalGap() < 1e-3, "VAE gap " + fit.vaeDiagonalGap());
        // a misaligned start does not match by chance: the untrained columns are far from every principal direction
        LinearVae untrained = new LinearVaeTrainer(config(1, List.of())).fit(data);
        assertTrue(Subspaces.principalAnglesDegrees(Ppca.fit(data, Spectrum.of(data), LATENT).w(), untrained.decoder().w())[LATENT - 1] > 20);
    }

    @Test
    void withSigma2FixedAboveAnEigenvalueThoseDimensionsCollapseAndAtTheMlValueNoneDoes() {
        Moments data = knownSpectrum(LAMBDA, 11);
        PpcaReport report = PpcaComparison.compare(data, data, Spectrum.of(data), config(3000, List.of(0, 2, 3)));
        assertEquals(4, report.sweep().size());
        PpcaReport.Collapse ml = report.sweep().get(0);
        assertTrue(ml.maximumLikelihood());
        assertEquals(0, ml.theoryCollapsed());
        assertEquals(0, ml.vaeCollapsed());
        int[] activeExpected = {0, 2, 3};
        for (int k = 0; k < activeExpected.length; k++) {
            PpcaReport.Collapse c = report.sweep().get(k + 1);
            assertEquals(LATENT - activeExpected[k], c.theoryCollapsed());
            assertEquals(LATENT - activeExpected[k], c.vaeCollapsed(), "σ² = " + c.sigma2());
            assertTrue(c.maxKlError() < 0.01, "σ² = " + c.sigma2() + ": KL " + java.util.Arrays.toString(c.vaeKl()));
            for (int i = 0; i < activeExpected[k]; i++) {
                assertTrue(c.vaeKl()[i] > 0.5 * c.theoryKl()[i], "active dimension " + i + " at σ² = " + c.sigma2());
            }
        }
        assertTrue(ml.maxKlError() < 0.01);
    }
}
