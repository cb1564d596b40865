package org.vaespark.core.cpu;

import org.vaespark.core.errors.Errors;
import org.vaespark.core.kernel.TrainKernels;
import org.vaespark.core.noise.NoiseSource;

/**
 * Adam (Kingma &amp; Ba 2015) on the moments of per-example diagonal Gaussians q = N(mean, exp(logvar)) of a
 * {@link LocalPosterior}, ascending each example's Monte-Carlo ELBO with the decoder and prior fixed: the
 * non-amortized inference of Cremer, Li &amp; Duvenaud (2018), and, with the likelihood restricted to the observed
 * values, of Agarwal et al. (2023). Step t uses samples t·S .. t·S + S − 1 of the noise stream, a pure function of
 * (seed, stream, example id, sample index), so the result does not depend on batching.
 *
 * @param steps        Adam steps
 * @param learningRate Adam's step size
 * @param samples      Monte-Carlo samples S of the ELBO gradient per step
 * @param rateKey      the config key of the learning rate, named when the ELBO stops being finite
 */
public record PosteriorRefinement(int steps, double learningRate, int samples, String rateKey) {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final double ADAM_EPSILON = 1e-8;

    /**
     * Refines {@code q} in place; returns each example's ELBO on the step's own samples before each step [B][steps].
     *
     * @param weights 0/1 per value [B, D]: the likelihood counts the values of weight 1 only; null counts all
     */
    public double[][] run(LocalPosterior local, long[] ids, float[] x, float[] condition, float[] weights,
                          LocalPosterior.Diagonal q, long seed, long stream) {
        int batch = ids.length;
        int n = q.mean().length;
        int noise = local.config().noiseDim();
        float[] eps = new float[samples * batch * noise];
        float[] dMean = new float[n];
        float[] dLogvar = new float[n];
        float[] mMean = new float[n];
        float[] vMean = new float[n];
        float[] mLogvar = new float[n];
        float[] vLogvar = new float[n];
        double[] elbo = new double[batch];
        double[][] trace = new double[batch][steps];
        for (int t = 0; t < steps; t++) {
            NoiseSource.fill(eps, seed, stream, ids, t * samples, samples, noise);
            local.elboGradient(x, batch, q, eps, samples, condition, weights, elbo, dMean, dLogvar);
            for (int b = 0; b < batch; b++) {
                if (!Double.isFinite(elbo[b])) {
                    throw Errors.numericalFailure("example id " + ids[b] + ", refinement step " + t,
                            "the ELBO of the refined posterior is not finite (" + elbo[b] + ")",
                            "lower " + rateKey + " (now " + learningRate + ")");
                }
                trace[b][t] = elbo[b];
            }
            TrainKernels.AdamStep step = TrainKernels.AdamStep.of(learningRate, BETA1, BETA2, ADAM_EPSILON, t + 1L);
            TrainKernels.adam(q.mean(), dMean, mMean, 0, vMean, 0, mMean, 0, vMean, 0, n, step);
            TrainKernels.adam(q.logvar(), dLogvar, mLogvar, 0, vLogvar, 0, mLogvar, 0, vLogvar, 0, n, step);
        }
        return trace;
    }
}
