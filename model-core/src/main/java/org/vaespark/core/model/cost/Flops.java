package org.vaespark.core.model.cost;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.model.HierarchyInference;
import org.vaespark.core.model.HierarchySpec;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.structure.HierarchicalVae;
import org.vaespark.core.model.structure.HierarchyNetworks;
import org.vaespark.core.model.PosteriorKind;
import org.vaespark.core.model.likelihood.Likelihoods;
import org.vaespark.core.model.Architecture;
import org.vaespark.core.model.PriorKind;

/**
 * GEMM-equivalent FLOPs (2 x multiply-adds) of one training example's forward pass, per
 * component, counted from a {@link VaeConfig}: the figure every "fraction of the sgemm rate" in
 * the benchmarks divides by. Counted are the products with weights and the mixture prior's one
 * GEMM; elementwise work (activations, likelihoods, reparameterisation, planar-flow dot products,
 * MMD kernels, log-sum-exp) is not. Conventions:
 * <ul>
 *   <li>dense [in -&gt; out]: 2 in out per row; a gated layer (Dauphin et al. 2017) two such products;
 *   <li>convolution: 2 out_h out_w k^2 c_in c_out, the whole (im2col) product, padded positions included;
 *       a transposed convolution is the backward-data pass of the convolution from its output to its input,
 *       so out_h, out_w there are those of its (smaller) input map;
 *   <li>PixelCNN masked convolutions count the full k x k kernel, as the dense GEMM runs it, although about
 *       half the weights are masked to 0; MADE layers likewise count their full masked weights;
 *   <li>the VampPrior encodes its K pseudo-inputs once per minibatch: K / B encoder rows per example;
 *   <li>the MoG / VampPrior density is one [N, 2d] x [2d, K] GEMM over the N = S B samples
 *       ({@code DiagonalGaussianMixture}): 2 K 2d per sample;
 *   <li>training = 3 x forward (forward, and twice that for the backward pass's two products per GEMM).
 * </ul>
 * The shapes follow the model's own builders: {@code network.Mlp}, {@code MlpEncoder}, {@code ConvEncoder},
 * {@code ConvDecoder} and {@code ConvGeometry} (4x4 kernels, stride 2, padding 1), {@code PixelCnnDecoder},
 * {@code structure.HierarchicalVae} and {@code SemiSupervisedVae}, {@code flow.Made}, {@code PlanarFlow},
 * {@code InverseAutoregressiveFlow}, {@code prior.AutoregressiveFlowPrior}.
 */
public final class Flops {
    /** Side of the strided (transposed) convolutions' kernels: {@code ConvGeometry.KERNEL}. */
    static final int CONV_KERNEL = 4;

    private final VaeConfig c;
    private final int outWidth;

    private Flops(VaeConfig c) {
        this.c = c;
        this.outWidth = Likelihoods.create(c).outputWidth();
    }

    /** GEMM FLOPs of training on one example: 3 x {@link #forwardPerExample}. */
    public static double trainingFlopsPerExample(VaeConfig c, int batch, int samples) {
        return 3 * forwardPerExample(c, batch, samples);
    }

    /** GEMM FLOPs of one example's forward pass with {@code samples} samples of z in minibatches of {@code batch}. */
    public static double forwardPerExample(VaeConfig c, int batch, int samples) {
        return components(c, batch, samples).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * GEMM FLOPs that run once per importance sample in IWAE-k: the decoder (per class in M2); for the HVAE also
     * the q and p conditionals between its layers; the IAF steps; the flow prior; the mixture prior's GEMM. Not counted: the encoder
     * and the flows' amortised heads (once per example), the VampPrior's pseudo-inputs (once per chunk).
     */
    public static double iwaeFlopsPerSample(VaeConfig c) {
        Flops f = new Flops(c);
        Map<String, Double> m = new LinkedHashMap<>();
        f.perSample(m, 1);
        return m.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * Forward GEMM FLOPs per training example, by component (names like {@code encoder}, {@code decoder},
     * {@code q_z1}, {@code p_z1}, {@code flow}, {@code flow_context}, {@code prior_mixture},
     * {@code prior_pseudo_inputs}, {@code prior_flow}, {@code classifier}), in the order they run.
     */
    public static Map<String, Double> components(VaeConfig c, int batch, int samples) {
        if (batch <= 0 || samples <= 0) {
            throw new IllegalArgumentException("batch and samples must be > 0, got " + batch + " and " + samples);
        }
        Flops f = new Flops(c);
        Map<String, Double> m = new LinkedHashMap<>();
        f.perExample(m);
        f.perSample(m, samples);
        if (c.prior().kind() == PriorKind.VAMP) {
            m.merge("prior_pseudo_inputs", (double) c.prior().components() / batch * f.encoder(0, c.priorDim()), Double::sum);
        }
        return m;
    }

    /** What runs once per example whatever the number of samples. */
    private void perExample(Map<String, Double> m) {
        if (c.kind() == ModelKind.MVAE) {
            int[] in = org.vaespark.core.model.structure.MultimodalVae.inputWidths(c);
            boolean label = c.structure().multimodal().modalities() == org.vaespark.core.model.Modalities.IMAGE_LABEL;
            m.put("expert_0", gaussianMlp(in[0], c.encoderHidden(), c.latentDim()));
            m.put("expert_1", gaussianMlp(in[1], label ? c.structure().multimodal().labelHidden() : c.encoderHidden(),
                    c.latentDim()));
            return;
        }
        int conditionDim = c.kind() == ModelKind.CVAE || c.kind() == ModelKind.M2 ? c.structure().classes() : 0;
        if (c.kind() == ModelKind.M2) {
            int k = c.structure().classes();
            m.put("classifier", trunk(c.inputDim(), c.structure().classifierHidden(), gated()) + dense(last(c.inputDim(),
                    c.structure().classifierHidden()), k));
            m.put("encoder", k * encoder(conditionDim, c.latentDim()));   // q(z|x, y) for every class y
            return;
        }
        int top = c.kind() == ModelKind.HVAE
                ? c.structure().hierarchy().dim(HierarchyNetworks.encodedLayer(c.structure().hierarchy())) : c.latentDim();
        m.put("encoder", encoder(conditionDim, top));
        int h = featureWidth(conditionDim);
        int d = c.latentDim();
        if (c.posterior().kind() == PosteriorKind.PLANAR) {
            m.put("flow_context", c.posterior().length() * (2 * dense(h, d) + dense(h, 1)));   // u, w, b heads per step
        } else if (c.posterior().kind() == PosteriorKind.IAF) {
            m.put("flow_context", dense(h, c.posterior().contextDim()));
        }
    }

    /** What runs once per sample of z, times {@code samples}. */
    private void perSample(Map<String, Double> m, int samples) {
        int d = c.latentDim();
        switch (c.kind()) {
            case HVAE -> hierarchy(m, samples);
            case M2 -> m.put("decoder", samples * c.structure().classes() * decoder(d, c.structure().classes()));
            case CVAE -> m.put("decoder", samples * decoder(d, c.structure().classes()));
            case VAE -> m.put("decoder", samples * decoder(d, 0));
            case MVAE -> multimodalDecoders(m, samples);
        }
        if (c.posterior().kind() == PosteriorKind.IAF && c.kind() != ModelKind.HVAE) {
            m.put("flow", samples * c.posterior().length() * made(d, c.posterior().madeHidden(), c.posterior().contextDim()));
        }
        int pd = c.priorDim();
        switch (c.prior().kind()) {
            case MOG, VAMP -> m.put("prior_mixture", samples * 2.0 * c.prior().components() * 2 * pd);
            case FLOW -> m.put("prior_flow", samples * c.prior().flowSteps() * made(pd, c.prior().flowHidden(), 0));
            case STANDARD -> {
            }
        }
    }

    /** The K-layer model's conditionals in the order they run ({@code HierarchyNetworks}), then the decoder. */
    private void hierarchy(Map<String, Double> m, int samples) {
        HierarchySpec h = c.structure().hierarchy();
        HierarchyNetworks nets = new HierarchyNetworks(h, featureWidth(0), c.activation(), gated());
        boolean shared = h.inference() == HierarchyInference.BIDIRECTIONAL;
        for (int k : HierarchyNetworks.inferenceOrder(h)) {
            int in = (nets.qReadsX(k) ? featureWidth(0) : 0) + (shared ? nets.stateWidth(k) : h.width(nets.qParents(k)));
            m.put(HierarchicalVae.qLayer(k), samples * gaussianMlp(in, nets.qHidden(), h.dim(k)));
        }
        for (int k = h.layers() - 1; k >= 1; k--) {
            m.put(HierarchicalVae.pLayer(k), samples * gaussianMlp(h.width(h.parents(k)), h.hidden(), h.dim(k)));
        }
        m.put("decoder", samples * decoder(h.width(h.parents(0)), 0));
    }

    private boolean gated() {
        return c.network().architecture() == Architecture.GATED;
    }

    /** q(z|x) on one row to a latent of {@code latent}: trunk and the mu and log-variance heads. */
    double encoder(int conditionDim, int latent) {
        if (c.network().architecture() == Architecture.CONV) {
            List<Integer> stages = c.network().convChannels();
            double f = 0;
            int in = c.image().channels();
            for (int i = 0; i < stages.size(); i++) {
                int scale = 1 << (i + 1);
                f += conv(c.image().height() / scale, c.image().width() / scale, CONV_KERNEL, in, stages.get(i));
                in = stages.get(i);
            }
            return f + dense(smallSize() + conditionDim, c.network().convDense()) + 2 * dense(c.network().convDense(), latent);
        }
        int in = c.inputDim() + conditionDim;
        return trunk(in, c.encoderHidden(), gated()) + 2 * dense(last(in, c.encoderHidden()), latent);
    }

    /** Width of the encoder's features (the trunk's output): what the flows and q(z1|x, z2) read. */
    private int featureWidth(int conditionDim) {
        return c.network().architecture() == Architecture.CONV ? c.network().convDense()
                : last(c.inputDim() + conditionDim, c.encoderHidden());
    }

    /** p(x|z) on one row of width {@code inWidth} (+ condition): the configured decoder, then the PixelCNN if any. */
    double decoder(int inWidth, int conditionDim) {
        double f;
        if (c.network().architecture() == Architecture.CONV) {
            List<Integer> stages = c.network().convChannels();
            int n = stages.size();
            int perPixel = outWidth / (c.image().height() * c.image().width());
            f = dense(inWidth + conditionDim, smallSize());
            for (int j = 0; j < n; j++) {
                int scale = 1 << (n - j);   // the input map of transposed convolution j is H / 2^(n - j)
                int out = j == n - 1 ? perPixel : stages.get(n - 2 - j);
                f += conv(c.image().height() / scale, c.image().width() / scale, CONV_KERNEL, stages.get(n - 1 - j), out);
            }
        } else {
            int in = inWidth + conditionDim;
            f = trunk(in, c.decoderHidden(), gated()) + dense(last(in, c.decoderHidden()), outWidth);
        }
        return f + pixelCnn();
    }

    /**
     * L masked k x k convolutions (full kernel; layer 0 reads the image's C channels), each with its 1x1 projection of
     * the decoder map (K = the likelihood's outputs per pixel, 10 per mixture component for RGB), and the 1x1 output layer.
     */
    private double pixelCnn() {
        int layers = c.network().pixelCnnLayers();
        if (layers == 0) {
            return 0;
        }
        int h = c.image().height();
        int w = c.image().width();
        int ch = c.network().pixelCnnChannels();
        int k = c.network().pixelCnnKernel();
        int perPixel = outWidth / (h * w);
        double f = 0;
        for (int i = 0; i < layers; i++) {
            f += conv(h, w, k, i == 0 ? c.image().channels() : ch, ch) + (double) h * w * dense(perPixel, ch);
        }
        return f + (double) h * w * dense(ch, perPixel);
    }

    /**
     * MVAE: the decoders of its three ELBO terms per sample. Image and label: the image decoder for the joint and the
     * image term, the label decoder for the joint and the label term; halves: the image decoder once per term.
     */
    private void multimodalDecoders(Map<String, Double> m, int samples) {
        int d = c.latentDim();
        if (c.structure().multimodal().modalities() == org.vaespark.core.model.Modalities.HALVES) {
            m.put("decoder", samples * 3 * decoder(d, 0));
            return;
        }
        List<Integer> hidden = c.structure().multimodal().labelHidden();
        m.put("decoder", samples * 2 * decoder(d, 0));
        m.put("label_decoder", samples * 2 * (trunk(d, hidden, gated()) + dense(last(d, hidden), c.structure().classes())));
    }

    /** A MADE on d inputs with an unmasked context of width {@code context} and two heads (full masked weights). */
    private static double made(int d, List<Integer> hidden, int context) {
        double f = trunk(d, hidden, false);
        if (context > 0) {
            f += dense(context, hidden.isEmpty() ? 2 * d : hidden.get(0));
        }
        return f + 2 * dense(last(d, hidden), d);
    }

    private double gaussianMlp(int in, List<Integer> hidden, int out) {
        return trunk(in, hidden, gated()) + 2 * dense(last(in, hidden), out);
    }

    private int smallSize() {
        List<Integer> stages = c.network().convChannels();
        int scale = 1 << stages.size();
        return c.image().height() / scale * (c.image().width() / scale) * stages.get(stages.size() - 1);
    }

    static double dense(int in, int out) {
        return 2.0 * in * out;
    }

    static double conv(int outH, int outW, int k, int in, int out) {
        return 2.0 * outH * outW * k * k * in * out;
    }

    private static double trunk(int in, List<Integer> widths, boolean gated) {
        double f = 0;
        int w = in;
        for (int width : widths) {
            f += (gated ? 2 : 1) * dense(w, width);
            w = width;
        }
        return f;
    }

    private static int last(int in, List<Integer> widths) {
        return widths.isEmpty() ? in : widths.get(widths.size() - 1);
    }
}
