package org.vaespark.core.testing;

import org.vaespark.core.model.VaeNames;
import org.vaespark.core.tensor.NamedArrays;

/** Plain-Java double-precision layers over a model's parameters: the independent references of graph tests. */
public final class JavaLayers {
    private JavaLayers() {
    }

    /** in @ prefix_W + prefix_b, with the graph's [in, out] weight layout; fails if the widths disagree. */
    public static double[] dense(NamedArrays p, String prefix, double[] in) {
        long[] shape = p.shape(VaeNames.weight(prefix));
        if (shape[0] != in.length) {
            throw new IllegalArgumentException(prefix + ": input width " + in.length + ", weight rows " + shape[0]);
        }
        int nOut = (int) shape[1];
        float[] w = p.values(VaeNames.weight(prefix));
        float[] bias = p.values(VaeNames.bias(prefix));
        double[] out = new double[nOut];
        for (int o = 0; o < nOut; o++) {
            double s = bias[o];
            for (int i = 0; i < in.length; i++) {
                s += in[i] * w[i * nOut + o];
            }
            out[o] = s;
        }
        return out;
    }

    public static double[] tanh(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.tanh(v[i]);
        }
        return out;
    }
}
