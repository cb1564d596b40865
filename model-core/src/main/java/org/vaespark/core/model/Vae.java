package org.vaespark.core.model;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.tensor.NamedArrays;

/**
 * A VAE: its {@link VaeConfig}, its parameters, and the SameDiff graph built from both.
 * Not thread-safe: use one instance per thread (Spark task).
 */
public final class Vae {
    private final VaeConfig config;
    private final ParameterLayout layout;
    private final SameDiff sd;

    private Vae(VaeConfig config, NamedArrays params) {
        this.config = config;
        this.layout = new ParameterLayout(config);
        checkLayout(params);
        this.sd = VaeGraph.build(config, params);
    }

    /** A new model with seeded initial parameters. */
    public static Vae initialise(VaeConfig config, long seed) {
        return new Vae(config, new ParameterLayout(config).initialise(seed));
    }

    /** A model with the given parameters (names and shapes must match the config's layout). */
    public static Vae withParameters(VaeConfig config, NamedArrays params) {
        return new Vae(config, params);
    }

    public VaeConfig config() {
        return config;
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** A copy of the current parameters. */
    public NamedArrays parameters() {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (String name : layout.names()) {
            arrays.put(name, sd.getArrForVarName(name));
        }
        return NamedArrays.fromNd4j(arrays);
    }

    /** Overwrites the parameters in place (the graph is kept). */
    public void setParameters(NamedArrays params) {
        checkLayout(params);
        for (String name : layout.names()) {
            sd.getArrForVarName(name).assign(params.toNd4j(name));
        }
    }

    /** The live parameter arrays of the graph, by name, for in-place optimizer updates. */
    public Map<String, INDArray> liveParameters() {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (String name : layout.names()) {
            arrays.put(name, sd.getArrForVarName(name));
        }
        return arrays;
    }

    /**
     * Evaluates named outputs for inputs x [B, D] and noise eps [S, B, d].
     *
     * @param outputs names from {@link VaeNames}
     */
    public Map<String, INDArray> output(INDArray x, INDArray eps, String... outputs) {
        return sd.output(placeholders(x, eps), outputs);
    }

    /** Loss gradients for every parameter, plus the requested outputs, for one minibatch. */
    public Step step(INDArray x, INDArray eps, String... outputs) {
        OutAndGrad r = sd.calculateGradientsAndOutputs(placeholders(x, eps), List.of(outputs), layout.names());
        Map<String, INDArray> values = new HashMap<>();
        r.getOutputs().forEach((k, v) -> values.put(k, v));
        return new Step(values, r.getGradients());
    }

    /**
     * Per-example ELBO from the named outputs: mean over the S samples of log p(x|z), minus the
     * analytic KL (Kingma &amp; Welling 2014, eq. 10).
     *
     * @param logPxz {@link VaeNames#LOG_PX_Z}, [S, B]
     * @param kl     {@link VaeNames#KL}, [B]
     */
    public static double[] elbo(INDArray logPxz, INDArray kl) {
        long samples = logPxz.size(0);
        int batch = (int) logPxz.size(1);
        double[] lp = logPxz.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        double[] k = kl.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        double[] out = new double[batch];
        for (int b = 0; b < batch; b++) {
            double s = 0;
            for (int i = 0; i < samples; i++) {
                s += lp[i * batch + b];
            }
            out[b] = s / samples - k[b];
        }
        return out;
    }

    /** The result of {@link #step}: named outputs and gradients by parameter name. */
    public record Step(Map<String, INDArray> outputs, Map<String, INDArray> gradients) {
    }

    private static Map<String, INDArray> placeholders(INDArray x, INDArray eps) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(VaeNames.X, x);
        ph.put(VaeNames.EPS, eps);
        return ph;
    }

    private void checkLayout(NamedArrays params) {
        Map<String, long[]> expected = layout.shapes();
        if (!expected.keySet().equals(params.names())) {
            throw new IllegalArgumentException("parameters " + params.names() + " do not match the model's " + expected.keySet());
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), params.shape(e.getKey()))) {
                throw new IllegalArgumentException("parameter " + e.getKey() + ": expected shape "
                        + java.util.Arrays.toString(e.getValue()) + ", found " + java.util.Arrays.toString(params.shape(e.getKey())));
            }
        }
    }

    /** Creates a float ND4J array [B, D] from row-major values. */
    public static INDArray matrix(float[] values, int rows, int cols) {
        return Nd4j.create(values, new long[]{rows, cols}, 'c');
    }
}
