package org.vaespark.core.cpu;

import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.ObjectiveKind;
import org.vaespark.core.model.ObjectiveSpec;

/**
 * The training loss of the CPU executor from the per-sample {@link CpuModel.Outputs}, and the
 * seeds of its backward pass (the loss's gradient with respect to those outputs); the same
 * losses as the graph's {@code Objectives}:
 * <ul>
 * <li>ELBO: -(mean log p(x|z) - beta KL) (beta-VAE, Higgins et al. 2017; warm-up feeds a rising
 * beta), KL in closed form where it exists, else the Monte-Carlo mean of log q(z|x) - log p(z);
 * with free bits (Kingma et al. 2016, eq. 15) the KL term is sum_g max(lambda, KL_g) over latent
 * groups of the minibatch-mean KL;</li>
 * <li>IWAE-k: -mean_b log (1/S) sum_s w_sb (Burda et al. 2016), whose gradient weighs each sample's
 * log w by its normalised importance weight.</li>
 * </ul>
 */
final class CpuObjective {
    private CpuObjective() {
    }

    /** Seeds the gradients of {@code o} for the loss at KL weight {@code beta}; returns the loss. */
    static double seed(Tape t, VaeConfig c, CpuModel.Outputs o, double beta, int batch, int samples, float[] eps) {
        if (o.bound() != null) {
            return bound(o, batch, samples);
        }
        return switch (c.objective().kind()) {
            case IWAE -> iwae(o, batch, samples);
            case ELBO -> elbo(c, o, beta, batch, samples);
            case MMD -> infoVae(t, c, o, batch, samples, eps);
        };
    }

    /**
     * InfoVAE (Zhao et al. 2019, eq. 6): -E log p(x|z) + (1 - alpha) KL + (alpha + lambda - 1) MMD(q(z), p(z)),
     * the MMD between the S * B posterior samples and as many N(0, I) samples, the last d columns of the noise.
     * The MMD layer is added to the tape here, so its backward step runs with the others.
     */
    private static double infoVae(Tape t, VaeConfig c, CpuModel.Outputs o, int batch, int samples, float[] eps) {
        ObjectiveSpec spec = c.objective();
        int d = c.priorDim();
        Tensor prior = t.noise(eps, batch * samples, c.noiseDim(), c.noiseDim() - d, d);
        Tensor mmd = CpuMmd.biased(t, o.z(), prior, spec.mmdKernel(), spec.mmdScale());
        double weight = spec.mmdAlpha() + spec.mmdLambda() - 1;
        mmd.grad()[0] = (float) weight;
        return elbo(c, o, 1 - spec.mmdAlpha(), batch, samples) + weight * mmd.value[0];
    }

    private static double elbo(VaeConfig c, CpuModel.Outputs o, double beta, int batch, int samples) {
        int rows = batch * samples;
        float[] dPx = o.logPx().grad();
        double reconstruction = 0;
        for (int r = 0; r < rows; r++) {
            dPx[r] = -1f / rows;
            reconstruction += o.logPx().value[r];
        }
        reconstruction /= rows;
        ObjectiveSpec spec = c.objective();
        double klTerm;
        if (o.kl() != null) {
            klTerm = analyticKlTerm(c, o, beta, batch);
        } else {
            double kl = 0;
            for (int r = 0; r < rows; r++) {
                kl += (double) o.logQz().value[r] - o.logPz().value[r];
            }
            kl /= rows;
            boolean active = spec.freeBits() <= 0 || kl > spec.freeBits();
            klTerm = spec.freeBits() <= 0 ? kl : Math.max(kl, spec.freeBits());
            if (active) {
                float w = (float) (beta / rows);
                fill(o.logQz(), w);
                fill(o.logPz(), -w);
            }
        }
        return -(reconstruction - beta * klTerm);
    }

    /** The closed-form KL term, whole or per free-bits group, seeding mean and log-variance for active groups. */
    private static double analyticKlTerm(VaeConfig c, CpuModel.Outputs o, double beta, int batch) {
        ObjectiveSpec spec = c.objective();
        if (spec.freeBits() <= 0) {
            double kl = 0;
            for (int b = 0; b < batch; b++) {
                kl += o.kl().value[b];
            }
            fill(o.kl(), (float) (beta / batch));
            return kl / batch;
        }
        Tensor mu = o.mean();
        Tensor logvar = o.logvar();
        int d = mu.cols;
        int groups = spec.freeBitsGroups();
        int width = d / groups;
        double term = 0;
        float w = (float) (beta / batch);
        for (int g = 0; g < groups; g++) {
            double kl = 0;
            for (int b = 0; b < batch; b++) {
                for (int j = g * width; j < (g + 1) * width; j++) {
                    float m = mu.value[b * d + j];
                    float lv = logvar.value[b * d + j];
                    kl += (lv + 1f - m * m - (float) Math.exp(lv)) * -0.5f;
                }
            }
            kl /= batch;
            term += Math.max(kl, spec.freeBits());
            if (kl > spec.freeBits()) {
                float[] dmu = mu.grad();
                float[] dlv = logvar.grad();
                for (int b = 0; b < batch; b++) {
                    for (int j = g * width; j < (g + 1) * width; j++) {
                        dmu[b * d + j] += w * mu.value[b * d + j];
                        dlv[b * d + j] += w * 0.5f * ((float) Math.exp(logvar.value[b * d + j]) - 1f);
                    }
                }
            }
        }
        return term;
    }

    private static double iwae(CpuModel.Outputs o, int batch, int samples) {
        double loss = 0;
        float[] dPx = o.logPx().grad();
        float[] dPz = o.logPz().grad();
        float[] dQz = o.logQz().grad();
        for (int b = 0; b < batch; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < samples; s++) {
                max = Math.max(max, o.logW(s * batch + b));
            }
            double sum = 0;
            for (int s = 0; s < samples; s++) {
                sum += Math.exp(o.logW(s * batch + b) - max);
            }
            double lse = max + Math.log(sum);
            loss -= lse - Math.log(samples);
            for (int s = 0; s < samples; s++) {
                int r = s * batch + b;
                float g = (float) (-Math.exp(o.logW(r) - lse) / batch);
                dPx[r] = g;
                dPz[r] = g;
                dQz[r] = -g;
            }
        }
        return loss / batch;
    }

    /** M2: the negative mean of the per-sample bound. */
    private static double bound(CpuModel.Outputs o, int batch, int samples) {
        int rows = batch * samples;
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            sum += o.bound().value[r];
        }
        fill(o.bound(), -1f / rows);
        return -sum / rows;
    }

    private static void fill(Tensor t, float v) {
        float[] g = t.grad();
        java.util.Arrays.fill(g, v);
    }
}
