package org.vaespark.core.model.structure;

import java.util.List;
import org.vaespark.core.model.Architecture;
import org.vaespark.core.model.Modalities;
import org.vaespark.core.model.MultimodalSpec;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.network.GaussianMlp;
import org.vaespark.core.model.network.Mlp;
import org.vaespark.core.model.network.Networks;

/**
 * The multimodal VAE of Wu &amp; Goodman (2018): one Gaussian expert q(z|x_m) per modality, the joint posterior the
 * product of the experts present and the N(0, I) prior expert, and one decoder per modality.
 *
 * <p>Components (parameter names): the expert of modality m is a dense stack {@code expert_<name>_i} with the heads
 * {@code expert_<name>_mu}, {@code expert_<name>_logvar} (names from {@link Modalities#names()}; widths
 * {@code model.encoder.hidden} for an image part, {@code model.multimodal.label-hidden} for a label); the image decoder
 * is the configured dense decoder {@code dec_*} over the whole image (with halves, log p(top|z) and log p(bottom|z)
 * sum its Bernoulli terms over each half's values); the label decoder is the stack {@code label_dec_i} and the logits
 * {@code label_out}. The CPU executor runs it ({@code org.vaespark.core.cpu.CpuMultimodal}); the SameDiff graph has no
 * such component and {@link #build} refuses, so {@code model.backend = graph} is a configuration error for this kind.
 */
public final class MultimodalVae implements Structure {
    /** Why the graph cannot run this model (and what to do). */
    public static final String NO_GRAPH = "model.kind=mvae runs on the CPU executor only: the SameDiff graph has no "
            + "product-of-experts component (MultimodalVae); use model.backend = auto or cpu";
    /** Name prefix of the label decoder's stack. */
    public static final String LABEL_DECODER = "label_dec";
    /** Name of the label decoder's logits layer. */
    public static final String LABEL_OUT = "label_out";

    private final List<GaussianMlp> experts;
    private final org.vaespark.core.model.network.Decoder imageDecoder;
    private final Mlp labelDecoder;
    private final int classes;

    public MultimodalVae(VaeConfig c) {
        MultimodalSpec spec = c.structure().multimodal();
        boolean gated = c.network().architecture() == Architecture.GATED;
        String[] names = spec.modalities().names();
        int[] widths = inputWidths(c);
        List<Integer> labelHidden = spec.labelHidden();
        this.experts = List.of(
                new GaussianMlp(expert(names[0]), widths[0], c.encoderHidden(), c.activation(), gated, c.latentDim()),
                new GaussianMlp(expert(names[1]), widths[1], spec.modalities() == Modalities.IMAGE_LABEL ? labelHidden
                        : c.encoderHidden(), c.activation(), gated, c.latentDim()));
        this.imageDecoder = Networks.decoder(c, c.latentDim(), 0, c.inputDim());
        this.classes = c.structure().classes();
        this.labelDecoder = spec.modalities() == Modalities.IMAGE_LABEL
                ? new Mlp(i -> LABEL_DECODER + "_" + i, c.latentDim(), labelHidden, c.activation(), gated) : null;
    }

    /** The name prefix of a modality's expert, e.g. {@code expert_label}. */
    public static String expert(String modality) {
        return "expert_" + modality;
    }

    /**
     * The input widths of the two experts: image D and the classes, or the top half's values (H/2 rows) and the
     * bottom half's.
     */
    public static int[] inputWidths(VaeConfig c) {
        if (c.structure().multimodal().modalities() == Modalities.IMAGE_LABEL) {
            return new int[]{c.inputDim(), c.structure().classes()};
        }
        int top = topValues(c);
        return new int[]{top, c.inputDim() - top};
    }

    /** The values of the top half: its H/2 rows of W pixels of C channels (row-major, channels last). */
    public static int topValues(VaeConfig c) {
        return c.image().height() / 2 * c.image().width() * c.image().channels();
    }

    @Override
    public void declare(ParameterLayout p) {
        experts.forEach(e -> e.declare(p));
        imageDecoder.declare(p);
        if (labelDecoder != null) {
            labelDecoder.declare(p);
            p.dense(LABEL_OUT, labelDecoder.outWidth(), classes);
        }
    }

    @Override
    public void build(Graph g) {
        throw new UnsupportedOperationException(NO_GRAPH);
    }

    @Override
    public List<String> trainingOutputs() {
        throw new UnsupportedOperationException(NO_GRAPH);
    }
}
