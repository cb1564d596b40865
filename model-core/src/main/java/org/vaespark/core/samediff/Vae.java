package org.vaespark.core.samediff;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;

/**
 * A VAE: its {@link VaeConfig}, its parameters, and the SameDiff graph built from both.
 * Every variant of the model family is
 * built by {@link ModelGraph}. Not thread-safe: use one instance per thread (Spark task).
 */
public final class Vae {
    private final VaeConfig config;
    private final ParameterLayout layout;
    /** The graph, or null for a model the graph cannot build ({@link ModelDescription#graphUnavailable}). */
    private final SameDiff sd;
    private final List<String> trainingOutputs;
    /** The parameters of a model without a graph (the CPU executor runs it). */
    private NamedArrays held;

    private Vae(VaeConfig config, NamedArrays params) {
        this.config = config;
        this.layout = ModelDescription.layout(config);
        checkLayout(params);
        if (ModelDescription.graphUnavailable(config) != null) {
            this.sd = null;
            this.trainingOutputs = List.of();
            this.held = copy(params);
            return;
        }
        // SameDiff prints a line per differentiated op when it first builds the gradient function
        LibraryOutput.install();
        this.sd = ModelGraph.build(config, params);
        this.trainingOutputs = ModelDescription.structure(config).trainingOutputs();
    }

    private static NamedArrays copy(NamedArrays params) {
        return params.map((name, values) -> values.clone());
    }

    /** The graph; a model without one is refused with the reason. */
    private SameDiff graph() {
        if (sd == null) {
            throw new UnsupportedOperationException(ModelDescription.graphUnavailable(config));
        }
        return sd;
    }

    /** A new model with seeded initial parameters. */
    public static Vae initialise(VaeConfig config, long seed) {
        return new Vae(config, ModelDescription.layout(config).initialise(seed));
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
        if (sd == null) {
            return copy(held);
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (String name : layout.names()) {
            arrays.put(name, sd.getArrForVarName(name));
        }
        return NamedArrays.fromNd4j(arrays);
    }

    /** Overwrites the parameters in place (the graph is kept). */
    public void setParameters(NamedArrays params) {
        checkLayout(params);
        if (sd == null) {
            held = copy(params);
            return;
        }
        for (String name : layout.names()) {
            sd.getArrForVarName(name).assign(params.toNd4j(name));
        }
    }

    /** The live parameter arrays of the graph, by name, for in-place optimizer updates. */
    public Map<String, INDArray> liveParameters() {
        SameDiff graph = graph();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (String name : layout.names()) {
            arrays.put(name, graph.getArrForVarName(name));
        }
        return arrays;
    }

    /**
     * Evaluates named outputs for inputs x [B, D] and noise eps [S, B, n], with the objective's
     * final KL weight and no labels.
     *
     * @param outputs names from {@link VaeNames}
     */
    public Map<String, INDArray> output(INDArray x, INDArray eps, String... outputs) {
        return output(Feed.of(x, eps, config.beta()), outputs);
    }

    /** Evaluates named outputs for one feed. */
    public Map<String, INDArray> output(Feed feed, String... outputs) {
        return graph().output(placeholders(feed), outputs);
    }

    /** Loss gradients for every parameter, plus the requested outputs, for one minibatch. */
    public Step step(INDArray x, INDArray eps, String... outputs) {
        return step(Feed.of(x, eps, config.beta()), outputs);
    }

    /** Loss gradients for every parameter, plus the requested outputs (they must lie on the loss path). */
    public Step step(Feed feed, String... outputs) {
        OutAndGrad r = graph().calculateGradientsAndOutputs(placeholders(feed), List.of(outputs), layout.names());
        Map<String, INDArray> values = new HashMap<>();
        r.getOutputs().forEach((k, v) -> values.put(k, v));
        return new Step(values, r.getGradients());
    }

    /** The loss-path outputs {@link #elbo(Map)} needs; request them from {@link #step(Feed, String...)}. */
    public String[] trainingOutputs() {
        return trainingOutputs.toArray(new String[0]);
    }

    /**
     * Per-example ELBO from named outputs: the mean over the S samples of log p(x|z), minus the
     * analytic KL when the outputs hold it (Kingma &amp; Welling 2014, eq. 10), else the mean over
     * samples of log p(x|z) + log p(z) - log q(z|x) (the Monte-Carlo KL, docs/math.md, Training objectives).
     */
    public static double[] elbo(Map<String, INDArray> outputs) {
        double[][] logPx = perSample(outputs.get(VaeNames.LOG_PX_Z));
        int samples = logPx.length;
        int batch = logPx[0].length;
        double[] out = new double[batch];
        if (outputs.containsKey(VaeNames.KL)) {
            double[] kl = outputs.get(VaeNames.KL).castTo(DataType.DOUBLE).dup('c').data().asDouble();
            for (int b = 0; b < batch; b++) {
                double s = 0;
                for (int i = 0; i < samples; i++) {
                    s += logPx[i][b];
                }
                out[b] = s / samples - kl[b];
            }
            return out;
        }
        double[][] logPz = perSample(outputs.get(VaeNames.LOG_PZ));
        double[][] logQz = perSample(outputs.get(VaeNames.LOG_QZ_X));
        for (int b = 0; b < batch; b++) {
            double s = 0;
            for (int i = 0; i < samples; i++) {
                s += logPx[i][b] + logPz[i][b] - logQz[i][b];
            }
            out[b] = s / samples;
        }
        return out;
    }

    /**
     * Per-example reconstruction term of the ELBO, the mean over the S samples of log p(x|z)
     * (Kingma &amp; Welling 2014, eq. 10), from the same outputs as {@link #elbo(Map)}.
     */
    public static double[] reconstruction(Map<String, INDArray> outputs) {
        double[][] logPx = perSample(outputs.get(VaeNames.LOG_PX_Z));
        double[] out = new double[logPx[0].length];
        for (double[] sample : logPx) {
            for (int b = 0; b < out.length; b++) {
                out[b] += sample[b];
            }
        }
        for (int b = 0; b < out.length; b++) {
            out[b] /= logPx.length;
        }
        return out;
    }

    /**
     * Per-example KL term the ELBO subtracts from {@link #reconstruction(Map)}: the analytic
     * KL when the outputs hold it, else the mean over samples of log q(z|x) − log p(z) (the
     * Monte-Carlo KL, docs/math.md, Training objectives); null when the outputs hold neither.
     */
    public static double[] kl(Map<String, INDArray> outputs) {
        if (outputs.containsKey(VaeNames.KL)) {
            return outputs.get(VaeNames.KL).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        }
        if (!outputs.containsKey(VaeNames.LOG_PZ) || !outputs.containsKey(VaeNames.LOG_QZ_X)) {
            return null;
        }
        double[][] logPz = perSample(outputs.get(VaeNames.LOG_PZ));
        double[][] logQz = perSample(outputs.get(VaeNames.LOG_QZ_X));
        double[] out = new double[logPz[0].length];
        for (int i = 0; i < logPz.length; i++) {
            for (int b = 0; b < out.length; b++) {
                out[b] += logQz[i][b] - logPz[i][b];
            }
        }
        for (int b = 0; b < out.length; b++) {
            out[b] /= logPz.length;
        }
        return out;
    }

    /** Per-example ELBO from log p(x|z) [S, B] and the analytic KL [B]. */
    public static double[] elbo(INDArray logPxz, INDArray kl) {
        return elbo(Map.of(VaeNames.LOG_PX_Z, logPxz, VaeNames.KL, kl));
    }

    private static double[][] perSample(INDArray a) {
        int samples = (int) a.size(0);
        int batch = (int) a.size(1);
        double[] flat = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[][] out = new double[samples][batch];
        for (int i = 0; i < samples; i++) {
            System.arraycopy(flat, i * batch, out[i], 0, batch);
        }
        return out;
    }

    /** The result of {@link #step}: named outputs and gradients by parameter name. */
    public record Step(Map<String, INDArray> outputs, Map<String, INDArray> gradients) {
    }

    /**
     * Everything a graph evaluation is fed.
     *
     * @param x         inputs [B, D]
     * @param eps       noise [S, B, n]
     * @param beta      KL weight of this step
     * @param labels    one-hot labels [B, classes], or null for models without labels
     * @param labelled  1 where a label may be used, 0 where hidden, [B]; null unless the model is M2
     */
    public record Feed(INDArray x, INDArray eps, double beta, INDArray labels, INDArray labelled) {
        public static Feed of(INDArray x, INDArray eps, double beta) {
            return new Feed(x, eps, beta, null, null);
        }
    }

    private Map<String, INDArray> placeholders(Feed f) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(VaeNames.X, f.x());
        ph.put(VaeNames.EPS, f.eps());
        if (sd.hasVariable(VaeNames.BETA)) {
            ph.put(VaeNames.BETA, Nd4j.scalar((float) f.beta()));
        }
        // M2 marginalises y where no label is given: with no labels at all, every example is unlabelled.
        boolean unlabelled = f.labels() == null && config.kind() == ModelKind.M2;
        if (sd.hasVariable(VaeNames.Y)) {
            if (f.labels() == null && !unlabelled) {
                throw new IllegalArgumentException("this " + config.kind() + " model needs labels: the dataset's label column");
            }
            ph.put(VaeNames.Y, unlabelled ? Nd4j.zeros(f.x().dataType(), f.x().size(0), config.structure().classes()) : f.labels());
        }
        if (sd.hasVariable(VaeNames.LABELLED)) {
            ph.put(VaeNames.LABELLED, f.labelled() != null ? f.labelled()
                    : unlabelled ? Nd4j.zeros(f.x().dataType(), f.x().size(0)) : Nd4j.ones(f.x().dataType(), f.x().size(0)));
        }
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
