package org.vaespark.core.eval;

import org.vaespark.core.cpu.Backend;
import org.vaespark.core.cpu.CpuEvaluation;
import org.vaespark.core.cpu.CpuModel;
import org.vaespark.core.cpu.ExecutorChoice;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.kernel.DenseIwae;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.samediff.Labels;
import org.vaespark.core.train.NativeMemory;
import org.vaespark.core.train.Shard;

/**
 * The importance-weighted estimate of the marginal log-likelihood (Burda et al. 2016):
 * log p̂(x) = logsumexp_i (log p(x|z_i) + log p(z_i) - log q(z_i|x)) - log k, z_i ~ q(z|x).
 * The k samples are streamed in chunks of {@code chunk}, so memory does not grow with k, and
 * the log-sum-exp is accumulated in double precision. The noise of example i, sample s is a
 * pure function of (seed, id, s): results do not depend on batching, chunking or partitioning.
 */
public final class IwaeEstimator {
    private final Vae model;
    private final int k;
    private final int chunk;
    private final long seed;
    private final DenseIwae dense;
    private final CpuEvaluation cpu;
    private final ExecutorChoice executor;

    /** The estimator on the executor {@code model.backend = auto} picks. */
    public IwaeEstimator(Vae model, int k, int chunk, long seed) {
        this(model, k, chunk, seed, Backend.AUTO);
    }

    /**
     * @param backend the requested executor ({@link ExecutorChoice}); on the CPU executor the reference family runs
     *                the fused kernels of {@link DenseIwae}, every other model the executor's layers
     */
    public IwaeEstimator(Vae model, int k, int chunk, long seed, Backend backend) {
        if (k <= 0 || chunk <= 0) {
            throw new IllegalArgumentException("k and chunk must be > 0, got k=" + k + " chunk=" + chunk);
        }
        this.model = model;
        this.k = k;
        this.chunk = chunk;
        this.seed = seed;
        this.executor = ExecutorChoice.of(model.config(), backend);
        boolean fused = executor.cpu() && DenseIwae.unavailable(model.config()) == null;
        this.dense = fused ? new DenseIwae(model.config(), model.parameters()) : null;
        // on the CPU executor the fused kernels' encoder pass runs on the executor's layers too (no graph at all)
        this.cpu = executor.cpu() ? new CpuEvaluation(model.config(), model.parameters()) : null;
    }

    /** Whether chunks are evaluated by {@link DenseIwae} rather than the graph. */
    public boolean dense() {
        return dense != null;
    }

    /** The executor that evaluates the chunks, and why. */
    public ExecutorChoice executor() {
        return executor;
    }

    /**
     * Estimates every example of a batch.
     *
     * @param ids example ids (they select the noise)
     * @param x   model inputs, row-major [ids.length, D], already encoded by PixelEncoding
     */
    public ExampleEstimate[] estimate(long[] ids, float[] x) {
        return estimate(ids, x, null);
    }

    /**
     * Estimates every example of a batch of a labelled dataset. A CVAE estimates log p(x|c) and
     * needs every label; M2 estimates log p(x) by summing over y inside its importance weight
     * (LOG_W), so its labels may be null or {@code Shard.NO_LABEL}; other models ignore them.
     *
     * @param labels the label of each example, or null
     */
    public ExampleEstimate[] estimate(long[] ids, float[] x, int[] labels) {
        int batch = ids.length;
        int dim = model.config().inputDim();
        int d = model.config().noiseDim();
        boolean analyticKl = model.config().analyticKl();
        boolean layered = model.config().kind() == ModelKind.HVAE;
        INDArray xs = Vae.matrix(x, batch, dim);
        LogMeanExp[] weights = new LogMeanExp[batch];
        double[] reconstruction = new double[batch];
        for (int b = 0; b < batch; b++) {
            weights[b] = new LogMeanExp();
        }
        double[] mcKl = new double[batch];
        int layers = layered ? model.config().structure().hierarchy().layers() : 0;
        double[][] layerKl = layered ? new double[layers][batch] : null;
        double[] kl = null;
        Encoded encoded = dense == null ? null : encode(x, batch, d);
        if (encoded != null) {
            kl = encoded.kl();
        }
        float[] logPx = dense == null ? null : new float[Math.min(chunk, k) * batch];
        float[] logW = dense == null ? null : new float[logPx.length];
        float[] eps = new float[Math.min(chunk, k) * batch * d];
        for (int start = 0; start < k; start += chunk) {
            int s = Math.min(chunk, k - start);
            if (eps.length != s * batch * d) {
                eps = new float[s * batch * d];
            }
            NoiseSource.fill(eps, seed, NoiseSource.EVAL_STREAM, ids, start, s, d);
            if (dense != null) {
                dense.weights(encoded.mean(), encoded.logvar(), eps, s, encoded.sign(), logPx, logW);
                accumulate(s, batch, logPx, logW, weights, reconstruction, mcKl);
                continue;
            }
            if (cpu != null && dense == null) {
                CpuModel.Outputs o = cpu.outputs(x, batch, eps, s, Labels.oneHot(model.config(), ids, labels));
                if (kl == null && o.kl() != null) {
                    kl = new double[batch];
                    for (int b = 0; b < batch; b++) {
                        kl[b] = o.kl().values()[b];
                    }
                }
                for (int i = 0; i < s * batch; i++) {
                    int b = i % batch;
                    weights[b].add(o.logW(i));
                    reconstruction[b] += o.logPx().values()[i];
                    mcKl[b] += (double) o.logPx().values()[i] - o.logW(i);
                    for (int l = 0; l < layers; l++) {
                        layerKl[l][b] += o.layerKl().get(l).values()[i];
                    }
                }
                continue;
            }
            INDArray noise = Nd4j.create(eps, new long[]{s, batch, d}, 'c');
            Vae.Feed feed = Labels.feed(model.config(), xs, noise, model.config().beta(), ids,
                    labels == null && model.config().kind() == ModelKind.M2 ? unlabelled(batch) : labels);
            Map<String, INDArray> out = model.output(feed, outputs(analyticKl, layers));
            if (feed.labels() != null) {
                NativeMemory.release(feed.labels(), feed.labelled());
            }
            float[][] perLayer = new float[layers][];
            for (int l = 0; l < layers; l++) {
                perLayer[l] = floats(out.get(VaeNames.layerKl(l + 1)));
            }
            if (kl == null && analyticKl) {
                kl = doubles(out.get(VaeNames.KL));
            }
            accumulate(s, batch, floats(out.get(VaeNames.LOG_PX_Z)), floats(out.get(VaeNames.LOG_W)), weights, reconstruction, mcKl);
            NativeMemory.release(noise);
            NativeMemory.release(out.values());
            for (int l = 0; l < layers; l++) {
                for (int i = 0; i < s; i++) {
                    for (int b = 0; b < batch; b++) {
                        layerKl[l][b] += perLayer[l][i * batch + b];
                    }
                }
            }
        }
        NativeMemory.release(xs);
        ExampleEstimate[] result = new ExampleEstimate[batch];
        for (int b = 0; b < batch; b++) {
            // KL: the closed form where it exists, else the Monte-Carlo mean of log q(z|x) - log p(z) over the k samples.
            // Per-layer KLs (HVAE): Monte-Carlo means over the same k samples; they sum to the Monte-Carlo KL.
            double[] perLayer = null;
            if (layered) {
                perLayer = new double[layers];
                for (int l = 0; l < layers; l++) {
                    perLayer[l] = layerKl[l][b] / k;
                }
            }
            result[b] = new ExampleEstimate(ids[b], weights[b].value(), weights[b].mean(), reconstruction[b] / k,
                    kl != null ? kl[b] : mcKl[b] / k, perLayer);
        }
        return result;
    }

    private static void accumulate(int s, int batch, float[] logPx, float[] logW, LogMeanExp[] weights, double[] reconstruction, double[] mcKl) {
        for (int i = 0; i < s; i++) {
            for (int b = 0; b < batch; b++) {
                int at = i * batch + b;
                weights[b].add(logW[at]);
                reconstruction[b] += logPx[at];
                mcKl[b] += (double) logPx[at] - logW[at];
            }
        }
    }

    /** The encoder's moments and closed-form KL from the CPU executor (one sample of zero noise), and 1 - 2x for the Bernoulli pass. */
    private Encoded encode(float[] x, int batch, int d) {
        CpuModel.Outputs o = cpu.outputs(x, batch, new float[batch * d], 1, null);
        float[] sign = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            sign[i] = 1f - 2f * x[i];
        }
        double[] kl = new double[batch];
        for (int b = 0; b < batch; b++) {
            kl[b] = o.kl().values()[b];
        }
        return new Encoded(o.mean().values().clone(), o.logvar().values().clone(), sign, kl);
    }

    private record Encoded(float[] mean, float[] logvar, float[] sign, double[] kl) {
    }

    private static double[] doubles(INDArray a) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** The outputs one chunk needs: log p(x|z) and log w, the closed-form KL where it exists, the per-layer KLs of an HVAE. */
    private static String[] outputs(boolean analyticKl, int layers) {
        java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of(VaeNames.LOG_PX_Z, VaeNames.LOG_W));
        if (analyticKl) {
            names.add(VaeNames.KL);
        }
        for (int l = 1; l <= layers; l++) {
            names.add(VaeNames.layerKl(l));
        }
        return names.toArray(new String[0]);
    }

    /** The values of an [S, B] output in row-major order, read without a copy when its buffer already holds exactly them. */
    private static float[] floats(INDArray a) {
        boolean plain = a.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT && a.ordering() == 'c' && a.offset() == 0
                && a.data().length() == a.length() && a.elementWiseStride() == 1;
        return plain ? a.data().asFloat() : a.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }

    private static int[] unlabelled(int n) {
        int[] labels = new int[n];
        java.util.Arrays.fill(labels, Shard.NO_LABEL);
        return labels;
    }
}
