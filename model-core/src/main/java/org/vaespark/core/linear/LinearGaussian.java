package org.vaespark.core.linear;

/**
 * The marginal of a linear-Gaussian latent model, z ~ N(0, I), x | z ~ N(W z + b, σ² I): x ~ N(b, C)
 * with C = W Wᵀ + σ² I (Tipping &amp; Bishop 1999). Both PPCA and the decoder of a linear VAE
 * (Lucas et al. 2019) are this, so their exact log p(x) is computed here, once.
 *
 * <p>With M = WᵀW + σ² I (d x d), the Woodbury identity gives C⁻¹ = σ⁻²(I − W M⁻¹ Wᵀ) and
 * log|C| = (D − d) log σ² + log|M|; the mean over a data set with moments (x̄, S) is
 * −½ [D log 2π + log|C| + tr(C⁻¹ (S + (x̄ − b)(x̄ − b)ᵀ))], with no D x D inverse.
 *
 * @param w D x d loading matrix (row-major)
 */
public record LinearGaussian(double[][] w, double[] b, double sigma2) {
    public LinearGaussian {
        if (w.length != b.length) {
            throw new IllegalArgumentException("W has " + w.length + " rows but b has " + b.length);
        }
        if (!(sigma2 > 0) || !Double.isFinite(sigma2)) {
            throw new IllegalArgumentException("noise variance must be positive and finite, found " + sigma2);
        }
    }

    public int dimension() {
        return b.length;
    }

    public int latentDim() {
        return w[0].length;
    }

    /** M = WᵀW + σ² I. */
    public double[][] m() {
        double[][] m = Dense.multiplyTransposeA(w, w);
        for (int i = 0; i < m.length; i++) {
            m[i][i] += sigma2;
        }
        return m;
    }

    /** The exact mean log p(x) in nats over the data summarised by {@code data}. */
    public double meanLogLikelihood(Moments data) {
        int dim = dimension();
        int d = latentDim();
        double[][] m = m();
        double logDetC = (dim - d) * Math.log(sigma2) + Dense.logDet(m);
        double[][] sw = Dense.multiply(data.covariance(), w);
        double[][] wsw = Dense.multiplyTransposeA(w, sw);
        double[] e = new double[dim];
        for (int i = 0; i < dim; i++) {
            e[i] = data.mean()[i] - b[i];
        }
        double[] wte = Dense.multiplyTransposeA(w, e);
        // tr(C⁻¹ A) = σ⁻² (tr A − tr(M⁻¹ Wᵀ A W)) for A = S + e eᵀ
        double[][] inner = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                inner[i][j] = wsw[i][j] + wte[i] * wte[j];
            }
        }
        double traceA = data.totalVariance() + Dense.dot(e, e);
        double quad = (traceA - Dense.trace(Dense.solve(m, inner))) / sigma2;
        return -0.5 * (dim * Math.log(2 * Math.PI) + logDetC + quad);
    }

    /**
     * The smallest possible gap between log p(x) and the ELBO of a posterior family that is a diagonal Gaussian
     * with a free (linear) mean, for this decoder: ½ (Σ_j log M_jj − log|M|), which is ≥ 0 by Hadamard's inequality
     * and 0 exactly when WᵀW is diagonal. The exact posterior covariance is σ² M⁻¹; the best diagonal one takes
     * its mean and variances σ² / M_jj. It is why the linear VAE picks orthogonal columns out of PPCA's rotations
     * (Lucas et al. 2019).
     */
    public double diagonalPosteriorGap() {
        double[][] m = m();
        double s = 0;
        for (int j = 0; j < m.length; j++) {
            s += Math.log(m[j][j]);
        }
        return 0.5 * (s - Dense.logDet(m));
    }

    /** The same model with loadings W R (R d x d): the same marginal when R is orthogonal. */
    public LinearGaussian rotated(double[][] r) {
        return new LinearGaussian(Dense.multiply(w, r), b.clone(), sigma2);
    }

    /** Column j of W. */
    public double[] column(int j) {
        double[] c = new double[w.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = w[i][j];
        }
        return c;
    }
}
