package org.vaespark.core.linear;

/**
 * The full eigen-decomposition of a data covariance S = U Λ Uᵀ, eigenvalues descending. PPCA needs
 * all of it: σ² is the mean of the D − d discarded eigenvalues, (tr S − Σ_{i≤d} λ_i) / (D − d)
 * (Tipping &amp; Bishop 1999, eq. 8); MLlib's normalised top-d {@code explainedVariance} alone does not give it.
 */
public record Spectrum(double[] eigenvalues, double[][] eigenvectors) {
    /** Decomposes the covariance of {@code m}. */
    public static Spectrum of(Moments m) {
        Dense.Eigenpairs e = Dense.symmetricEigen(m.covariance());
        return new Spectrum(e.values(), e.vectors());
    }

    public int dimension() {
        return eigenvalues.length;
    }

    /** Principal direction i (0-based) as a unit vector. */
    public double[] direction(int i) {
        double[] u = new double[eigenvectors.length];
        for (int r = 0; r < u.length; r++) {
            u[r] = eigenvectors[r][i];
        }
        return u;
    }

    /** The maximum-likelihood noise variance of a d-dimensional PPCA: the mean of the discarded eigenvalues. */
    public double noiseVariance(int d) {
        if (d < 1 || d >= dimension()) {
            throw new IllegalArgumentException("latent size must be in [1, " + (dimension() - 1) + "], found " + d);
        }
        double rest = 0;
        for (int i = d; i < dimension(); i++) {
            rest += eigenvalues[i];
        }
        return rest / (dimension() - d);
    }
}
