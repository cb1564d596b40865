package org.vaespark.core.linear;

/**
 * The linear VAE of Lucas et al. (2019): prior z ~ N(0, I_d); decoder x | z ~ N(W z + b, σ² I_D);
 * encoder q(z | x) = N(V x + a, diag(s)), a linear mean and a diagonal covariance shared by all x.
 * Because everything is Gaussian and linear, the mean ELBO over a data set is analytic in the data's
 * {@link Moments} (x̄, S): with ȳ = V x̄ + a, e = x̄ − W ȳ − b, P = S Vᵀ, Q = V S Vᵀ and G = WᵀW,
 * <pre>
 *   E[‖x − W m(x) − b‖²] + tr(W diag(s) Wᵀ) = tr S − 2⟨P, W⟩ + ⟨Q, G⟩ + ‖e‖² + Σ_j s_j G_jj  =: R
 *   ELBO = −(D/2) log(2π σ²) − R / (2σ²) − Σ_j ½ (s_j + Q_jj + ȳ_j² − 1 − log s_j)
 * </pre>
 * and so is its gradient ({@link #gradient}). Parameters live in one flat vector, in the order
 * W (D x d, row-major), b (D), V (d x D, row-major), a (d), log s (d), log σ².
 */
public final class LinearVae {
    private final int dim;
    private final int latent;
    private final double[] theta;

    LinearVae(int dim, int latent, double[] theta) {
        if (theta.length != size(dim, latent)) {
            throw new IllegalArgumentException("expected " + size(dim, latent) + " parameters, found " + theta.length);
        }
        this.dim = dim;
        this.latent = latent;
        this.theta = theta;
    }

    /** Number of parameters of a D-pixel, d-latent linear VAE. */
    static int size(int dim, int latent) {
        return 2 * dim * latent + dim + 2 * latent + 1;
    }

    public int dimension() {
        return dim;
    }

    public int latentDim() {
        return latent;
    }

    double[] parameters() {
        return theta;
    }

    private int offB() {
        return dim * latent;
    }

    private int offV() {
        return offB() + dim;
    }

    private int offA() {
        return offV() + latent * dim;
    }

    private int offLogS() {
        return offA() + latent;
    }

    private int offLogSigma2() {
        return offLogS() + latent;
    }

    double[][] w() {
        double[][] w = new double[dim][latent];
        for (int i = 0; i < dim; i++) {
            System.arraycopy(theta, i * latent, w[i], 0, latent);
        }
        return w;
    }

    double[] b() {
        double[] b = new double[dim];
        System.arraycopy(theta, offB(), b, 0, dim);
        return b;
    }

    double[][] v() {
        double[][] v = new double[latent][dim];
        for (int j = 0; j < latent; j++) {
            System.arraycopy(theta, offV() + j * dim, v[j], 0, dim);
        }
        return v;
    }

    double[] a() {
        double[] a = new double[latent];
        System.arraycopy(theta, offA(), a, 0, latent);
        return a;
    }

    /** The encoder's posterior variances s_j. */
    public double[] posteriorVariances() {
        double[] s = new double[latent];
        for (int j = 0; j < latent; j++) {
            s[j] = Math.exp(theta[offLogS() + j]);
        }
        return s;
    }

    public double noiseVariance() {
        return Math.exp(theta[offLogSigma2()]);
    }

    void setLogNoiseVariance(double logSigma2) {
        theta[offLogSigma2()] = logSigma2;
    }

    /** The decoder's marginal N(b, W Wᵀ + σ² I), whose exact log p(x) {@link LinearGaussian} computes. */
    public LinearGaussian decoder() {
        return new LinearGaussian(w(), b(), noiseVariance());
    }

    /** The mean ELBO and its parts over the data summarised by {@code data}. */
    public Terms terms(Moments data) {
        return new Pass(data).terms();
    }

    /** The gradient of the mean ELBO (ascent direction) with respect to the flat parameter vector. */
    double[] gradient(Moments data) {
        return new Pass(data).gradient();
    }

    /**
     * Mean ELBO, reconstruction term E_q[log p(x|z)] and KL(q(z_j|x) ‖ p(z_j)) per latent dimension, in nats.
     */
    public record Terms(double elbo, double reconstruction, double[] klPerDim) {
        public double kl() {
            double s = 0;
            for (double k : klPerDim) {
                s += k;
            }
            return s;
        }
    }

    /** The shared intermediate products of one evaluation. */
    private final class Pass {
        final Moments data;
        final double[][] w = w();
        final double[][] v = v();
        final double[] s = posteriorVariances();
        final double sigma2 = noiseVariance();
        final double[] ybar;
        final double[] e;
        final double[][] p;
        final double[][] q;
        final double[][] g;
        final double r;

        Pass(Moments data) {
            if (data.dimension() != dim) {
                throw new IllegalArgumentException("data has " + data.dimension() + " dimensions, the model " + dim);
            }
            this.data = data;
            double[] xbar = data.mean();
            double[] a = a();
            double[] b = b();
            ybar = Dense.multiply(v, xbar);
            for (int j = 0; j < latent; j++) {
                ybar[j] += a[j];
            }
            double[] wy = Dense.multiply(w, ybar);
            e = new double[dim];
            for (int i = 0; i < dim; i++) {
                e[i] = xbar[i] - wy[i] - b[i];
            }
            p = Dense.multiply(data.covariance(), Dense.transpose(v));
            q = Dense.multiply(v, p);
            g = Dense.multiplyTransposeA(w, w);
            double pw = 0;
            for (int i = 0; i < dim; i++) {
                pw += Dense.dot(p[i], w[i]);
            }
            double qg = 0;
            double sg = 0;
            for (int j = 0; j < latent; j++) {
                qg += Dense.dot(q[j], g[j]);
                sg += s[j] * g[j][j];
            }
            r = data.totalVariance() - 2 * pw + qg + Dense.dot(e, e) + sg;
        }

        Terms terms() {
            double rec = -0.5 * dim * Math.log(2 * Math.PI * sigma2) - r / (2 * sigma2);
            double[] kl = new double[latent];
            for (int j = 0; j < latent; j++) {
                kl[j] = 0.5 * (s[j] + q[j][j] + ybar[j] * ybar[j] - 1 - Math.log(s[j]));
            }
            Terms t = new Terms(0, rec, kl);
            return new Terms(rec - t.kl(), rec, kl);
        }

        double[] gradient() {
            double[] grad = new double[theta.length];
            double[][] sw = Dense.multiply(data.covariance(), w);
            double[][] wq = Dense.multiply(w, q);
            double[] xbar = data.mean();
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j < latent; j++) {
                    grad[i * latent + j] = (p[i][j] - wq[i][j] + e[i] * ybar[j] - w[i][j] * s[j]) / sigma2;
                }
                grad[offB() + i] = e[i] / sigma2;
            }
            double[] wte = Dense.multiplyTransposeA(w, e);
            // dL/dV = (WᵀS − G Pᵀ + Wᵀe x̄ᵀ) / σ² − Pᵀ − ȳ x̄ᵀ, with Pᵀ = V S
            for (int j = 0; j < latent; j++) {
                for (int i = 0; i < dim; i++) {
                    double gp = 0;
                    for (int k = 0; k < latent; k++) {
                        gp += g[j][k] * p[i][k];
                    }
                    grad[offV() + j * dim + i] = (sw[i][j] - gp + wte[j] * xbar[i]) / sigma2 - p[i][j] - ybar[j] * xbar[i];
                }
                grad[offA() + j] = wte[j] / sigma2 - ybar[j];
                grad[offLogS() + j] = -s[j] * g[j][j] / (2 * sigma2) - 0.5 * (s[j] - 1);
            }
            grad[offLogSigma2()] = -0.5 * dim + r / (2 * sigma2);
            return grad;
        }
    }
}
