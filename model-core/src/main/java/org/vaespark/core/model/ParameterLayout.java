package org.vaespark.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The parameter names and shapes a {@link VaeConfig} implies, in graph order, and their
 * seeded initialisation: weights [in, out] uniform in ±sqrt(6 / (in + out)) (Glorot &amp;
 * Bengio 2010), biases zero, the Gaussian log-variance zero. The same seed gives the same
 * parameters on every machine (java.util.SplittableRandom, no native RNG).
 */
public final class ParameterLayout {
    private final LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();

    public ParameterLayout(VaeConfig c) {
        int in = c.inputDim();
        for (int i = 0; i < c.encoderHidden().size(); i++) {
            int out = c.encoderHidden().get(i);
            dense(VaeNames.encoderWeight(i), VaeNames.encoderBias(i), in, out);
            in = out;
        }
        dense(VaeNames.ENC_MU_W, VaeNames.ENC_MU_B, in, c.latentDim());
        dense(VaeNames.ENC_LOGVAR_W, VaeNames.ENC_LOGVAR_B, in, c.latentDim());
        in = c.latentDim();
        for (int i = 0; i < c.decoderHidden().size(); i++) {
            int out = c.decoderHidden().get(i);
            dense(VaeNames.decoderWeight(i), VaeNames.decoderBias(i), in, out);
            in = out;
        }
        dense(VaeNames.DEC_OUT_W, VaeNames.DEC_OUT_B, in, c.inputDim());
        if (c.likelihood() == Likelihood.GAUSSIAN && c.variance() == GaussianVariance.LEARNED) {
            shapes.put(VaeNames.DEC_LOGVAR, new long[]{1});
        }
    }

    private void dense(String w, String b, int in, int out) {
        shapes.put(w, new long[]{in, out});
        shapes.put(b, new long[]{out});
    }

    /** Parameter names in graph order. */
    public List<String> names() {
        return new ArrayList<>(shapes.keySet());
    }

    /** Name to shape, in graph order. */
    public Map<String, long[]> shapes() {
        return new LinkedHashMap<>(shapes);
    }

    /** Number of trainable scalars. */
    public long count() {
        long n = 0;
        for (long[] s : shapes.values()) {
            n += s[0] * (s.length > 1 ? s[1] : 1);
        }
        return n;
    }

    /** Seeded Glorot-uniform weights, zero biases. */
    public NamedArrays initialise(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        NamedArrays.Builder b = NamedArrays.builder();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long[] shape = e.getValue();
            int n = (int) (shape[0] * (shape.length > 1 ? shape[1] : 1));
            float[] v = new float[n];
            if (shape.length == 2) {
                double a = Math.sqrt(6.0 / (shape[0] + shape[1]));
                for (int i = 0; i < n; i++) {
                    v[i] = (float) ((rng.nextDouble() * 2 - 1) * a);
                }
            }
            b.put(e.getKey(), shape, v);
        }
        return b.build();
    }
}
