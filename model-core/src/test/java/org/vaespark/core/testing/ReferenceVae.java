package org.vaespark.core.testing;

import org.vaespark.core.model.Activation;
import org.vaespark.core.model.GaussianVariance;
import org.vaespark.core.model.Likelihood;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.tensor.NamedArrays;

/**
 * A direct double-precision implementation of the VAE's per-example quantities, written
 * independently of the SameDiff graph, to test it against.
 */
public final class ReferenceVae {
    private final VaeConfig c;
    private final NamedArrays p;

    public ReferenceVae(VaeConfig c, NamedArrays p) {
        this.c = c;
        this.p = p;
    }

    /** Returns {mu (d), logvar (d)} for one example. */
    public double[][] encode(float[] x) {
        double[] h = toDouble(x);
        for (int i = 0; i < c.encoderHidden().size(); i++) {
            h = act(dense(h, VaeNames.encoderWeight(i), VaeNames.encoderBias(i)));
        }
        return new double[][]{dense(h, VaeNames.ENC_MU_W, VaeNames.ENC_MU_B), dense(h, VaeNames.ENC_LOGVAR_W, VaeNames.ENC_LOGVAR_B)};
    }

    /** Decoder output (logits or Gaussian mean) for one z. */
    public double[] decode(double[] z) {
        double[] g = z;
        for (int i = 0; i < c.decoderHidden().size(); i++) {
            g = act(dense(g, VaeNames.decoderWeight(i), VaeNames.decoderBias(i)));
        }
        return dense(g, VaeNames.DEC_OUT_W, VaeNames.DEC_OUT_B);
    }

    public double logPxGivenZ(float[] x, double[] z) {
        double[] out = decode(z);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            if (c.likelihood() == Likelihood.BERNOULLI) {
                double l = out[i];
                // log sigma(l) = -log(1 + e^-l)
                s += x[i] * -Math.log1p(Math.exp(-l)) + (1 - x[i]) * -Math.log1p(Math.exp(l));
            } else {
                double var = c.variance() == GaussianVariance.FIXED ? c.fixedVariance() : Math.exp(p.values(VaeNames.DEC_LOGVAR)[0]);
                double diff = x[i] - out[i];
                s += -0.5 * (diff * diff / var + Math.log(var) + Math.log(2 * Math.PI));
            }
        }
        return s;
    }

    public static double logStdNormal(double[] z) {
        double s = 0;
        for (double v : z) {
            s += -0.5 * v * v - 0.5 * Math.log(2 * Math.PI);
        }
        return s;
    }

    public static double logDiagNormal(double[] z, double[] mu, double[] logvar) {
        double s = 0;
        for (int j = 0; j < z.length; j++) {
            double diff = z[j] - mu[j];
            s += -0.5 * (diff * diff / Math.exp(logvar[j]) + logvar[j] + Math.log(2 * Math.PI));
        }
        return s;
    }

    public static double analyticKl(double[] mu, double[] logvar) {
        double s = 0;
        for (int j = 0; j < mu.length; j++) {
            s += -0.5 * (1 + logvar[j] - mu[j] * mu[j] - Math.exp(logvar[j]));
        }
        return s;
    }

    private double[] dense(double[] in, String w, String b) {
        long[] shape = p.shape(w);
        int nIn = (int) shape[0];
        int nOut = (int) shape[1];
        float[] wv = p.values(w);
        float[] bv = p.values(b);
        double[] out = new double[nOut];
        for (int o = 0; o < nOut; o++) {
            double s = bv[o];
            for (int i = 0; i < nIn; i++) {
                s += in[i] * wv[i * nOut + o];
            }
            out[o] = s;
        }
        return out;
    }

    private double[] act(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = switch (c.activation()) {
                case RELU -> Math.max(0, v[i]);
                case TANH -> Math.tanh(v[i]);
                case SOFTPLUS -> Math.max(v[i], 0) + Math.log1p(Math.exp(-Math.abs(v[i])));
            };
        }
        return out;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** A small config for tests. */
    public static VaeConfig tiny(int inputDim, int latentDim, Likelihood likelihood, Activation activation) {
        return VaeConfig.mlp(inputDim, java.util.List.of(7), java.util.List.of(6), latentDim, activation, likelihood,
                GaussianVariance.LEARNED, 0.01, 1.0);
    }
}
