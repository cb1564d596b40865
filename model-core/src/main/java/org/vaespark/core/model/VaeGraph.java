package org.vaespark.core.model;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The one SameDiff graph definition of the VAE (Kingma &amp; Welling 2014): MLP encoder to a
 * diagonal Gaussian q(z|x), reparameterised samples z = mu + sigma * eps with the noise fed as
 * a placeholder, MLP decoder, N(0, I) prior, Bernoulli (from logits, stable softplus) or
 * Gaussian likelihood. It emits the named per-example quantities of {@link VaeNames}; every
 * objective and estimator is computed from them.
 */
final class VaeGraph {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private VaeGraph() {
    }

    static SameDiff build(VaeConfig c, NamedArrays params) {
        SameDiff sd = SameDiff.create();
        for (String name : params.names()) {
            sd.var(name, params.toNd4j(name));
        }
        int d = c.latentDim();
        int dim = c.inputDim();
        SDVariable x = sd.placeHolder(VaeNames.X, DataType.FLOAT, -1, dim);
        SDVariable eps = sd.placeHolder(VaeNames.EPS, DataType.FLOAT, -1, -1, d);

        SDVariable h = x;
        for (int i = 0; i < c.encoderHidden().size(); i++) {
            h = activate(sd, c.activation(), dense(sd, h, VaeNames.encoderWeight(i), VaeNames.encoderBias(i)));
        }
        SDVariable mu = sd.identity(VaeNames.Z_MEAN, dense(sd, h, VaeNames.ENC_MU_W, VaeNames.ENC_MU_B));
        SDVariable logvar = sd.identity(VaeNames.Z_LOGVAR, dense(sd, h, VaeNames.ENC_LOGVAR_W, VaeNames.ENC_LOGVAR_B));

        SDVariable std = sd.math.exp(logvar.mul(0.5));
        SDVariable z = eps.mul(std).add(mu);                       // [S, B, d] by broadcasting
        SDVariable g = sd.reshape(z, -1, d);                      // [S*B, d], sample-major
        for (int i = 0; i < c.decoderHidden().size(); i++) {
            g = activate(sd, c.activation(), dense(sd, g, VaeNames.decoderWeight(i), VaeNames.decoderBias(i)));
        }
        SDVariable out = dense(sd, g, VaeNames.DEC_OUT_W, VaeNames.DEC_OUT_B);
        SDVariable sampleShape = sd.slice(sd.shape(eps), new int[]{0}, 2);
        SDVariable outShape = sd.concat(0, sampleShape, sd.constant(Nd4j.createFromArray((long) dim).castTo(sampleShape.dataType())));
        SDVariable out3 = sd.reshape(out, outShape);              // [S, B, D]

        SDVariable logPxz = sumLastAxis(sd, VaeNames.LOG_PX_Z, logLikelihood(sd, c, x, out3), 2, dim);
        sumLastAxis(sd, VaeNames.LOG_PZ, z.mul(z).mul(-0.5).sub(HALF_LOG_2PI), 2, d);
        sumLastAxis(sd, VaeNames.LOG_QZ_X, eps.mul(eps).add(logvar).mul(-0.5).sub(HALF_LOG_2PI), 2, d);
        SDVariable kl = sumLastAxis(sd, VaeNames.KL, logvar.add(1.0).sub(mu.mul(mu)).sub(sd.math.exp(logvar)).mul(-0.5), 1, d);

        // -(mean over examples and samples of log p(x|z) - beta * mean KL). Both are full
        // reductions: SameDiff M2.1 fails on a reduction over an axis of length 1 (S = 1).
        SDVariable loss = logPxz.mean().sub(kl.mean().mul(c.beta())).neg();
        sd.identity(VaeNames.LOSS, loss);
        sd.setLossVariables(VaeNames.LOSS);
        return sd;
    }

    /**
     * Sum over {@code axis} (the last one), whose static length is {@code length}. A length-1 axis is
     * squeezed instead: SameDiff M2.1 throws in a reduction over an axis of length 1.
     */
    private static SDVariable sumLastAxis(SameDiff sd, String name, SDVariable v, int axis, int length) {
        return length == 1 ? sd.squeeze(name, v, axis) : sd.sum(name, v, axis);
    }

    private static SDVariable dense(SameDiff sd, SDVariable in, String w, String b) {
        return in.mmul(sd.getVariable(w)).add(sd.getVariable(b));
    }

    private static SDVariable activate(SameDiff sd, Activation a, SDVariable v) {
        return switch (a) {
            case RELU -> sd.nn.relu(v, 0);
            case TANH -> sd.math.tanh(v);
            case SOFTPLUS -> softplus(sd, v);
        };
    }

    /** log(1 + e^v) computed as max(v, 0) + log1p(e^{-|v|}), finite for every float v. */
    private static SDVariable softplus(SameDiff sd, SDVariable v) {
        return sd.nn.relu(v, 0).add(sd.math.log1p(sd.math.exp(sd.math.abs(v).neg())));
    }

    /** Per-pixel log p(x|z), [S, B, D]; x [B, D] broadcasts over the sample axis. */
    private static SDVariable logLikelihood(SameDiff sd, VaeConfig c, SDVariable x, SDVariable out) {
        if (c.likelihood() == Likelihood.BERNOULLI) {
            // x log sigma(l) + (1 - x) log sigma(-l) = x l - softplus(l)
            return out.mul(x).sub(softplus(sd, out));
        }
        SDVariable diff = out.sub(x);
        if (c.variance() == GaussianVariance.FIXED) {
            double var = c.fixedVariance();
            return diff.mul(diff).mul(-0.5 / var).sub(0.5 * Math.log(var) + HALF_LOG_2PI);
        }
        SDVariable logvar = sd.getVariable(VaeNames.DEC_LOGVAR);
        return diff.mul(diff).mul(sd.math.exp(logvar.neg())).add(logvar).mul(-0.5).sub(HALF_LOG_2PI);
    }
}
