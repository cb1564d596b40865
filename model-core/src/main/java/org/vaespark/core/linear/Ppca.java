package org.vaespark.core.linear;

/**
 * Closed-form probabilistic PCA (Tipping &amp; Bishop 1999, eqs. 7-8): b = x̄,
 * W = U_d (Λ_d − σ² I)^{1/2} with U_d, Λ_d the top d eigenpairs of the data covariance, and either
 * σ² at its maximum-likelihood value, the mean of the discarded eigenvalues, or σ² fixed. With σ² fixed,
 * the maximiser over W alone clips each column: ‖w_i‖² = max(λ_i − σ², 0), so directions whose eigenvalue is
 * below σ² get a zero column (the linear analogue of posterior collapse, Lucas et al. 2019).
 */
public final class Ppca {
    private Ppca() {
    }

    /** The maximum-likelihood PPCA with d latent dimensions. */
    public static LinearGaussian fit(Moments data, Spectrum spectrum, int d) {
        return withNoise(data, spectrum, d, spectrum.noiseVariance(d));
    }

    /** The maximum-likelihood loadings for a given noise variance σ². */
    public static LinearGaussian withNoise(Moments data, Spectrum spectrum, int d, double sigma2) {
        int dim = spectrum.dimension();
        if (d < 1 || d >= dim) {
            throw new IllegalArgumentException("latent size must be in [1, " + (dim - 1) + "], found " + d);
        }
        double[][] w = new double[dim][d];
        for (int j = 0; j < d; j++) {
            double scale = Math.sqrt(Math.max(spectrum.eigenvalues()[j] - sigma2, 0));
            for (int i = 0; i < dim; i++) {
                w[i][j] = spectrum.eigenvectors()[i][j] * scale;
            }
        }
        return new LinearGaussian(w, data.mean().clone(), sigma2);
    }
}
