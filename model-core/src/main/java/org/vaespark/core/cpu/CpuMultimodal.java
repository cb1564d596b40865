package org.vaespark.core.cpu;

import java.util.List;
import org.vaespark.core.model.Architecture;
import org.vaespark.core.model.Modalities;
import org.vaespark.core.model.MultimodalSpec;
import org.vaespark.core.model.Pairing;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.structure.MultimodalVae;

/**
 * The multimodal VAE of Wu &amp; Goodman (2018) on the CPU executor, in the components of {@link MultimodalVae}.
 *
 * <p>Posterior: the product of the Gaussian experts present and the N(0, I) prior expert ({@link ProductOfExperts}).
 * Objective, per example, with lambda_m = {@code model.multimodal.weights} and beta the KL weight: the subsampled
 * ELBO of the paper (Sec. 3), the sum of the joint term and one term per single modality,
 * ELBO(x_0, x_1) + ELBO(x_0) + ELBO(x_1), where ELBO(X) = E_q(z|X)[sum_{m in X} lambda_m log p(x_m|z)]
 * - beta KL(q(z|X) || p(z)) with the Monte-Carlo KL log q - log p; an unpaired example (one modality kept,
 * {@link Pairing}) contributes the term of its modality alone. The three terms use the same noise eps (common random
 * numbers: each term's estimate is unbiased). Named outputs: log p(x|z), log p(z), log q(z|x) of the joint term
 * (log p(x|z) = log p(x_0|z) + log p(x_1|z), unweighted, so the reported ELBO and IWAE-k are those of the joint model
 * p(x_0, x_1)), and per modality m the importance weight log p(x_m|z) + log p(z) - log q(z|x_m) with z ~ q(z|x_m),
 * from which IWAE-k of p(x_m) follows.
 */
public final class CpuMultimodal {
    private final VaeConfig c;
    private final MultimodalSpec spec;
    private final boolean gated;
    private final String[] names;
    private final int classes;
    private final int top;

    public CpuMultimodal(VaeConfig c) {
        this.c = c;
        this.spec = c.structure().multimodal();
        this.gated = c.network().architecture() == Architecture.GATED;
        this.names = spec.modalities().names();
        this.classes = Pairing.labelColumns(c);
        this.top = MultimodalVae.topValues(c);
    }

    /** The per-sample results of a pass, each [S * B, 1], and the per-modality weights [S * B, 2]. */
    CpuModel.Outputs forward(Tape t, CpuParameters p, Tensor x, float[] feed, float[] eps, int batch, int samples, double beta) {
        float[] f = feed != null ? feed : pairedFeed(batch);
        checkFeed(f, batch);
        int d = c.latentDim();
        Tensor noise = t.noise(eps, samples * batch, c.noiseDim(), 0, d);
        Moments e0 = expert(t, p, 0, input(t, x, f, batch, 0));
        Moments e1 = expert(t, p, 1, input(t, x, f, batch, 1));
        Moments joint = ProductOfExperts.of(t, List.of(e0, e1));
        Term j = term(t, p, x, f, batch, samples, joint, noise, true, true);
        Term s0 = term(t, p, x, f, batch, samples, ProductOfExperts.of(t, List.of(e0)), noise, true, false);
        Term s1 = term(t, p, x, f, batch, samples, ProductOfExperts.of(t, List.of(e1)), noise, false, true);
        Tensor[] terms = {j.px0, j.px1, j.pz, j.qz, s0.px0, s0.pz, s0.qz, s1.px1, s1.pz, s1.qz};
        double l0 = spec.weights().get(0);
        double l1 = spec.weights().get(1);
        double[][] coefficients = new double[batch][];
        int w = Pairing.width(c);
        for (int b = 0; b < batch; b++) {
            boolean has0 = f[b * w + classes] != 0f;
            boolean has1 = f[b * w + classes + 1] != 0f;
            double both = has0 && has1 ? 1 : 0;
            double only0 = has0 ? 1 : 0;
            double only1 = has1 ? 1 : 0;
            coefficients[b] = new double[]{both * l0, both * l1, both * beta, -both * beta, only0 * l0, only0 * beta,
                    -only0 * beta, only1 * l1, only1 * beta, -only1 * beta};
        }
        Tensor bound = WeightedSum.of(t, terms, coefficients, batch);
        Tensor modalityLogW = t.make(samples * batch, 2, false);
        for (int r = 0; r < samples * batch; r++) {
            modalityLogW.value[2 * r] = s0.px0.value[r] + s0.pz.value[r] - s0.qz.value[r];
            modalityLogW.value[2 * r + 1] = s1.px1.value[r] + s1.pz.value[r] - s1.qz.value[r];
        }
        return new CpuModel.Outputs(t.add(j.px0, j.px1), j.pz, j.qz, null, joint.mean(), joint.logvar(), null, j.z,
                null, bound, modalityLogW);
    }

    /** The moments of q(z|x_m) ∝ p(z) q_m(z|x_m) for modality {@code m} alone, or of the joint posterior (m = -1): [B, d] each. */
    public float[][] posterior(Tape t, CpuParameters p, float[] x, int batch, float[] feed, int m) {
        Tensor xs = t.input(x, batch, c.inputDim());
        float[] f = feed != null ? feed : pairedFeed(batch);
        checkFeed(f, batch);
        Moments q = m < 0 ? ProductOfExperts.of(t, List.of(expert(t, p, 0, input(t, xs, f, batch, 0)),
                expert(t, p, 1, input(t, xs, f, batch, 1))))
                : ProductOfExperts.of(t, List.of(expert(t, p, m, input(t, xs, f, batch, m))));
        return new float[][]{q.mean().values().clone(), q.logvar().values().clone()};
    }

    /** log p(y|z) [rows, classes] of the label decoder at latent rows z [rows, d] (image-label only). */
    public float[] labelLogProbabilities(Tape t, CpuParameters p, float[] z, int rows) {
        if (classes == 0) {
            throw new IllegalArgumentException("model.multimodal.modalities = halves has no label decoder");
        }
        Tensor logits = labelLogits(t, p, t.input(z, rows, c.latentDim()));
        return SemiSupervised.logSoftmax(t, logits).values().clone();
    }

    /** An all-paired feed for a model without labels (halves); image-label needs the labels in its feed. */
    private float[] pairedFeed(int batch) {
        if (classes > 0) {
            throw new IllegalArgumentException("an image-label MVAE needs its feed (Pairing.feed): the one-hot labels");
        }
        float[] f = new float[batch * 2];
        java.util.Arrays.fill(f, 1f);
        return f;
    }

    private void checkFeed(float[] f, int batch) {
        if (f.length != batch * Pairing.width(c)) {
            throw new IllegalArgumentException("MVAE feed of " + f.length + " values for " + batch + " rows of " + Pairing.width(c));
        }
    }

    private record Term(Tensor z, Tensor px0, Tensor px1, Tensor pz, Tensor qz) {
    }

    /** One ELBO term: z ~ q, log q(z), log p(z) and the log-likelihoods of the modalities it reconstructs. */
    private Term term(Tape t, CpuParameters p, Tensor x, float[] feed, int batch, int samples, Moments q, Tensor noise,
                      boolean first, boolean second) {
        Tensor z = Densities.sample(t, q.mean(), q.logvar(), noise);
        Tensor qz = Densities.logGaussianFromNoise(t, noise, q.logvar());
        Tensor pz = Densities.logStandardNormal(t, z);
        Tensor px0 = null;
        Tensor px1 = null;
        if (spec.modalities() == Modalities.IMAGE_LABEL) {
            px0 = first ? Densities.bernoulli(t, x, imageLogits(t, p, z)) : null;
            px1 = second ? Categorical.logProb(t, labelLogits(t, p, z), t.input(labels(feed, batch), batch, classes)) : null;
        } else {
            Tensor logits = imageLogits(t, p, z);
            px0 = first ? Densities.bernoulli(t, x, logits, halfMask(batch, true)) : null;
            px1 = second ? Densities.bernoulli(t, x, logits, halfMask(batch, false)) : null;
        }
        return new Term(z, px0, px1, pz, qz);
    }

    private Moments expert(Tape t, CpuParameters p, int m, Tensor in) {
        List<Integer> widths = m == 1 && spec.modalities() == Modalities.IMAGE_LABEL ? spec.labelHidden() : c.encoderHidden();
        return Layers.gaussian(t, p, MultimodalVae.expert(names[m]), in, widths, c.activation(), gated);
    }

    /** Modality m's values of each example: the image, the one-hot label, or the top or bottom half. */
    private Tensor input(Tape t, Tensor x, float[] feed, int batch, int m) {
        if (spec.modalities() == Modalities.IMAGE_LABEL) {
            return m == 0 ? x : t.input(labels(feed, batch), batch, classes);
        }
        int dim = c.inputDim();
        int width = m == 0 ? top : dim - top;
        float[] part = new float[batch * width];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x.values(), b * dim + (m == 0 ? 0 : top), part, b * width, width);
        }
        return t.input(part, batch, width);
    }

    private float[] labels(float[] feed, int batch) {
        int w = Pairing.width(c);
        float[] y = new float[batch * classes];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(feed, b * w, y, b * classes, classes);
        }
        return y;
    }

    /** Weight 1 on the values of the top (or bottom) half, [B, D]. */
    private float[] halfMask(int batch, boolean upper) {
        int dim = c.inputDim();
        float[] mask = new float[batch * dim];
        for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(mask, b * dim + (upper ? 0 : top), b * dim + (upper ? top : dim), 1f);
        }
        return mask;
    }

    private Tensor imageLogits(Tape t, CpuParameters p, Tensor z) {
        Tensor h = Layers.stack(t, p, VaeNames::decoderLayer, z, c.decoderHidden(), c.activation(), gated);
        return Layers.dense(t, p, h, VaeNames.DEC_OUT);
    }

    private Tensor labelLogits(Tape t, CpuParameters p, Tensor z) {
        Tensor h = Layers.stack(t, p, i -> MultimodalVae.LABEL_DECODER + "_" + i, z, spec.labelHidden(), c.activation(), gated);
        return Layers.dense(t, p, h, MultimodalVae.LABEL_OUT);
    }
}
