package org.vaespark.core.linear;

/**
 * One linear-VAE decoder column w_j matched to the principal direction u_i it is most aligned with
 * (largest |cos|), with the sign that aligns them and the residual against PPCA's column
 * ‖w_j − sign · w_i^PPCA‖ / ‖w_i^PPCA‖ (0 when the VAE recovers that PPCA column exactly).
 */
public record ColumnMatch(int vaeColumn, int principalIndex, int sign, double absCosine, double vaeNorm, double ppcaNorm,
                          double relativeResidual) {

    /** The match of every VAE column against the first d principal directions of {@code spectrum}. */
    public static ColumnMatch[] of(LinearGaussian vae, LinearGaussian ppca, Spectrum spectrum) {
        int d = vae.latentDim();
        ColumnMatch[] out = new ColumnMatch[d];
        for (int j = 0; j < d; j++) {
            double[] w = vae.column(j);
            double norm = Math.sqrt(Dense.dot(w, w));
            int best = 0;
            double bestCos = -1;
            double signedCos = 0;
            for (int i = 0; i < d; i++) {
                double c = Dense.dot(w, spectrum.direction(i)) / norm;
                if (Math.abs(c) > bestCos) {
                    bestCos = Math.abs(c);
                    best = i;
                    signedCos = c;
                }
            }
            int sign = signedCos < 0 ? -1 : 1;
            double[] target = ppca.column(best);
            double targetNorm = Math.sqrt(Dense.dot(target, target));
            double diff = 0;
            for (int r = 0; r < w.length; r++) {
                double x = w[r] - sign * target[r];
                diff += x * x;
            }
            out[j] = new ColumnMatch(j, best, sign, bestCos, norm, targetNorm, Math.sqrt(diff) / targetNorm);
        }
        return out;
    }

    /** True when the matches use every principal index once (a signed permutation). */
    public static boolean isPermutation(ColumnMatch[] matches) {
        boolean[] seen = new boolean[matches.length];
        for (ColumnMatch m : matches) {
            if (seen[m.principalIndex()]) {
                return false;
            }
            seen[m.principalIndex()] = true;
        }
        return true;
    }
}
