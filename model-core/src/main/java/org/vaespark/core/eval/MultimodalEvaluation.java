package org.vaespark.core.eval;

import java.io.Serializable;
import org.vaespark.core.cpu.CpuModel;
import org.vaespark.core.cpu.CpuMultimodal;
import org.vaespark.core.cpu.CpuParameters;
import org.vaespark.core.cpu.Tape;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.model.Modalities;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.model.Pairing;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.structure.MultimodalVae;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The evaluation of a multimodal VAE (Wu &amp; Goodman 2018) on the CPU executor, per example:
 * <ul>
 * <li>IWAE-k (Burda et al. 2016) of the joint p(x_0, x_1) with the product of experts q(z|x_0, x_1) as the proposal,
 * and of each modality's marginal p(x_m) with q(z|x_m) (its expert times the prior) as the proposal, all from the same
 * k samples of noise, a pure function of (seed, id, sample);</li>
 * <li>image and label: the label predicted from the image alone, argmax_y p(y | z) at z the mean of q(z|image);</li>
 * <li>halves: the bottom half predicted from the top alone, the decoder's mean at z the mean of q(z|top), and its
 * squared error per value against the example's bottom half.</li>
 * </ul>
 * Also the pictures' rows: images decoded from a label alone (z ~ q(z|y)) and the bottom halves completed from the top.
 */
public final class MultimodalEvaluation {
    /** The noise stream of the label-to-image samples. */
    static final long SAMPLE_STREAM = 0x4D564145L;

    private final VaeConfig c;
    private final CpuModel model;
    private final CpuMultimodal multimodal;
    private final CpuParameters params;
    private final Tape tape = new Tape(false);
    private final int k;
    private final int chunk;
    private final long seed;

    /**
     * One example's figures.
     *
     * @param iwae      IWAE-k of the joint, then of modality 0 and of modality 1 alone (nats)
     * @param label     image-label: the true label; -1 for halves
     * @param predicted image-label: argmax_y p(y | mean of q(z|image)); -1 for halves
     * @param bottomMse halves: mean squared error per value of the bottom half predicted from the top; NaN for image-label
     */
    public record Estimate(long id, double[] iwae, int label, int predicted, double bottomMse) implements Serializable {
    }

    public MultimodalEvaluation(VaeConfig c, NamedArrays parameters, int k, int chunk, long seed) {
        if (c.kind() != ModelKind.MVAE) {
            throw Errors.badConfigValue("model.kind", c.kind().name().toLowerCase(),
                    "mvae for the multimodal evaluation (joint and per-modality IWAE, cross-modal prediction)");
        }
        if (k <= 0 || chunk <= 0) {
            throw new IllegalArgumentException("k and chunk must be > 0, got k=" + k + " chunk=" + chunk);
        }
        this.c = c;
        this.model = CpuModel.of(c);
        this.multimodal = new CpuMultimodal(c);
        this.params = new CpuParameters(parameters);
        this.k = k;
        this.chunk = chunk;
        this.seed = seed;
    }

    /** The figures of a batch: model inputs x [n, D] (already encoded) and the labels (image-label) or null. */
    public Estimate[] estimate(long[] ids, float[] x, int[] labels) {
        int n = ids.length;
        int d = c.noiseDim();
        float[] feed = Pairing.feed(c, ids, labels, null);
        LogMeanExp[][] w = new LogMeanExp[3][n];
        for (int m = 0; m < 3; m++) {
            for (int b = 0; b < n; b++) {
                w[m][b] = new LogMeanExp();
            }
        }
        for (int start = 0; start < k; start += chunk) {
            int s = Math.min(chunk, k - start);
            float[] eps = new float[s * n * d];
            NoiseSource.fill(eps, seed, NoiseSource.EVAL_STREAM, ids, start, s, d);
            tape.reset();
            CpuModel.Outputs o = model.forward(tape, params, x, n, eps, s, feed, c.beta());
            float[] modal = o.modalityLogW().values();
            for (int r = 0; r < s * n; r++) {
                int b = r % n;
                w[0][b].add(o.logW(r));
                w[1][b].add(modal[2 * r]);
                w[2][b].add(modal[2 * r + 1]);
            }
        }
        int[] predicted = c.structure().multimodal().modalities() == Modalities.IMAGE_LABEL ? predictLabels(x, n, feed) : null;
        double[] mse = predicted == null ? bottomErrors(x, n, feed) : null;
        Estimate[] out = new Estimate[n];
        for (int b = 0; b < n; b++) {
            out[b] = new Estimate(ids[b], new double[]{w[0][b].value(), w[1][b].value(), w[2][b].value()},
                    predicted == null ? -1 : labels[b], predicted == null ? -1 : predicted[b], mse == null ? Double.NaN : mse[b]);
        }
        return out;
    }

    /** argmax_y log p(y | z) at z the mean of q(z|image), per example. */
    private int[] predictLabels(float[] x, int n, float[] feed) {
        tape.reset();
        float[] mean = multimodal.posterior(tape, params, x, n, feed, 0)[0];
        float[] logP = multimodal.labelLogProbabilities(tape, params, mean, n);
        int classes = c.structure().classes();
        int[] out = new int[n];
        for (int b = 0; b < n; b++) {
            int best = 0;
            for (int y = 1; y < classes; y++) {
                if (logP[b * classes + y] > logP[b * classes + best]) {
                    best = y;
                }
            }
            out[b] = best;
        }
        return out;
    }

    /** Per example, the mean squared error of {@link #bottomFromTop}'s bottom half against x's. */
    private double[] bottomErrors(float[] x, int n, float[] feed) {
        float[] completed = bottomFromTop(x, n);
        int dim = c.inputDim();
        int top = MultimodalVae.topValues(c);
        double[] out = new double[n];
        for (int b = 0; b < n; b++) {
            double s = 0;
            for (int j = top; j < dim; j++) {
                double e = completed[b * dim + j] - x[b * dim + j];
                s += e * e;
            }
            out[b] = s / (dim - top);
        }
        return out;
    }

    /**
     * Halves: each image [n, D] with its top half as given and its bottom half the decoder's mean at z the mean of
     * q(z|top), which sees the top half only.
     */
    public float[] bottomFromTop(float[] x, int n) {
        if (c.structure().multimodal().modalities() != Modalities.HALVES) {
            throw new IllegalArgumentException("bottom-from-top needs model.multimodal.modalities = halves");
        }
        tape.reset();
        float[] mean = multimodal.posterior(tape, params, x, n, null, 0)[0];
        tape.reset();
        float[] decoded = model.decoderMean(tape, params, mean, n, null);
        int dim = c.inputDim();
        int top = MultimodalVae.topValues(c);
        float[] out = decoded.clone();
        for (int b = 0; b < n; b++) {
            System.arraycopy(x, b * dim, out, b * dim, top);
        }
        return out;
    }

    /**
     * Image and label: the decoder's mean image [labels.length, D] at z ~ q(z|y) for each label y (the label's expert
     * times the prior), one draw of noise per row, a pure function of (seed, row).
     */
    public float[] labelToImage(int[] labels) {
        if (c.structure().multimodal().modalities() != Modalities.IMAGE_LABEL) {
            throw new IllegalArgumentException("label-to-image needs model.multimodal.modalities = image-label");
        }
        int n = labels.length;
        long[] rows = new long[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        float[] feed = Pairing.feed(c, rows, labels, null);
        tape.reset();
        float[][] q = multimodal.posterior(tape, params, new float[n * c.inputDim()], n, feed, 1);
        int d = c.latentDim();
        float[] eps = new float[n * d];
        NoiseSource.fill(eps, seed, SAMPLE_STREAM, rows, 0, 1, d);
        float[] z = new float[n * d];
        for (int i = 0; i < z.length; i++) {
            z[i] = q[0][i] + (float) Math.exp(0.5 * q[1][i]) * eps[i];
        }
        tape.reset();
        return model.decoderMean(tape, params, z, n, null);
    }
}
