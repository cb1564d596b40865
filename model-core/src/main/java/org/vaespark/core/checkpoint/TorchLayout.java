package org.vaespark.core.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.vaespark.core.model.Architecture;
import org.vaespark.core.model.PosteriorKind;
import org.vaespark.core.model.PriorKind;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.flow.InverseAutoregressiveFlow;
import org.vaespark.core.model.flow.Made;
import org.vaespark.core.model.network.PixelCnnDecoder;
import org.vaespark.core.model.prior.AutoregressiveFlowPrior;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Our parameters under PyTorch module names and layouts, the contents of {@code model.safetensors}
 * (the table is docs/export.md). Dense weights become {@code nn.Linear} [out, in]; convolution
 * kernels, stored [kh, kw, in, out] (YXIO), become {@code nn.Conv2d} [out, in, kh, kw]; transposed
 * convolution kernels, stored [kh, kw, out, in], become {@code nn.ConvTranspose2d} [in, out, kh, kw]
 * (our transposed convolution is the adjoint of the convolution with the same kernel, as PyTorch's
 * is, so no kernel flip). Feature maps are channels-last here and channels-first in PyTorch, so the
 * dense layer after the encoder's last convolution takes its inputs, and the decoder's dense layer
 * before the first transposed convolution gives its outputs, in PyTorch's flatten order [C, h, w].
 * The constant masks of MADE layers (Germain et al. 2015; IAF, Kingma et al. 2016; the flow prior,
 * Papamakarios et al. 2017) and of PixelCNN's masked convolutions (van den Oord et al. 2016) are
 * exported beside their weights as {@code <module>.mask}, in the weight's PyTorch layout, to be
 * multiplied into it. A parameter with no PyTorch name is a bug here, not a fallback name.
 */
public final class TorchLayout {
    /** One exported tensor: PyTorch name, shape and row-major float32 values. */
    public record Tensor(String name, long[] shape, float[] values) {
    }

    private enum Form { DENSE, BIAS, CONV, COPY }

    private record Rule(Pattern pattern, Function<Matcher, String> module) {
    }

    private static final List<Rule> RULES = List.of(
            rule("enc_(\\d+)", m -> "encoder.hidden." + m.group(1)),
            rule("enc_(\\d+)_gate", m -> "encoder.hidden." + m.group(1) + ".g"),
            rule("enc_(mu|logvar)", m -> "encoder." + m.group(1)),
            rule("enc_conv_(\\d+)", m -> "encoder.conv." + m.group(1)),
            rule("enc_dense", m -> "encoder.dense"),
            rule("dec_(\\d+)", m -> "decoder.hidden." + m.group(1)),
            rule("dec_(\\d+)_gate", m -> "decoder.hidden." + m.group(1) + ".g"),
            rule("dec_dense", m -> "decoder.dense"),
            rule("dec_deconv_(\\d+)", m -> "decoder.deconv." + m.group(1)),
            rule("dec_out", m -> "decoder.out"),
            rule("pcnn_(\\d+)", m -> "decoder.pixelcnn." + m.group(1)),
            rule("pcnn_(\\d+)_cond", m -> "decoder.pixelcnn." + m.group(1) + ".cond"),
            rule("pcnn_out", m -> "decoder.pixelcnn.out"),
            rule("([qp]_z\\d+)_(\\d+)", m -> m.group(1) + ".hidden." + m.group(2)),
            rule("([qp]_z\\d+)_(\\d+)_gate", m -> m.group(1) + ".hidden." + m.group(2) + ".g"),
            rule("([qp]_z\\d+)_(mu|logvar)", m -> m.group(1) + "." + m.group(2)),
            rule("expert_([a-z]+)_(\\d+)", m -> "experts." + m.group(1) + ".hidden." + m.group(2)),
            rule("expert_([a-z]+)_(\\d+)_gate", m -> "experts." + m.group(1) + ".hidden." + m.group(2) + ".g"),
            rule("expert_([a-z]+)_(mu|logvar)", m -> "experts." + m.group(1) + "." + m.group(2)),
            rule("label_dec_(\\d+)", m -> "label_decoder.hidden." + m.group(1)),
            rule("label_dec_(\\d+)_gate", m -> "label_decoder.hidden." + m.group(1) + ".g"),
            rule("label_out", m -> "label_decoder.out"),
            rule("cls_(\\d+)", m -> "classifier.hidden." + m.group(1)),
            rule("cls_out", m -> "classifier.out"),
            rule("iaf_context", m -> "posterior.context"),
            rule("iaf_(\\d+)_h(\\d+)", m -> "posterior.flow." + m.group(1) + ".hidden." + m.group(2)),
            rule("iaf_(\\d+)_ctx", m -> "posterior.flow." + m.group(1) + ".context"),
            rule("iaf_(\\d+)_(m|s)", m -> "posterior.flow." + m.group(1) + "." + m.group(2)),
            rule("planar_(\\d+)_(u|w|b)", m -> "posterior.flow." + m.group(1) + "." + m.group(2)),
            rule("afprior_(\\d+)_h(\\d+)", m -> "prior.flow." + m.group(1) + ".hidden." + m.group(2)),
            rule("afprior_(\\d+)_(mu|alpha)", m -> "prior.flow." + m.group(1) + "." + m.group(2)));

    private static final List<String[]> WHOLE = List.of(
            new String[]{"prior_mog_means", "prior.means"},
            new String[]{"prior_mog_logvars", "prior.logvars"},
            new String[]{"prior_pseudo_inputs", "prior.pseudo_inputs"},
            new String[]{"dec_logvar", "decoder.logvar"});

    private TorchLayout() {
    }

    private static Rule rule(String regex, Function<Matcher, String> module) {
        return new Rule(Pattern.compile(regex), module);
    }

    /**
     * The PyTorch name of our parameter {@code name} in a model whose parameters are {@code params}
     * (a dense layer with a gate is {@code <module>.h}, its gate {@code <module>.g}, as the GatedDense
     * of Tomczak &amp; Welling's code).
     */
    public static String torchName(String name, NamedArrays params) {
        for (String[] w : WHOLE) {
            if (w[0].equals(name)) {
                return w[1];
            }
        }
        String module = module(name);
        String prefix = name.substring(0, name.length() - 2);
        boolean gated = !prefix.endsWith("_gate") && params.names().contains(prefix + "_gate_W");
        return module + (gated ? ".h" : "") + (name.endsWith("_W") ? ".weight" : ".bias");
    }

    private static String module(String name) {
        if (name.endsWith("_W") || name.endsWith("_b")) {
            String prefix = name.substring(0, name.length() - 2);
            for (Rule r : RULES) {
                Matcher m = r.pattern.matcher(prefix);
                if (m.matches()) {
                    return r.module.apply(m);
                }
            }
        }
        throw new IllegalStateException("parameter " + name + " has no PyTorch name: add it to TorchLayout and docs/export.md");
    }

    /** Every parameter of {@code params} (a model of {@code c}) and every mask, in PyTorch names and layouts. */
    public static List<Tensor> export(VaeConfig c, NamedArrays params) {
        Geometry geo = Geometry.of(c);
        List<Tensor> out = new ArrayList<>();
        for (String name : params.names()) {
            String torch = torchName(name, params);
            long[] shape = params.shape(name);
            float[] v = params.values(name);
            switch (form(name, shape)) {
                case DENSE -> out.add(dense(torch, shape, v, name.equals("enc_dense_W") ? geo : null,
                        name.equals("dec_dense_W") ? geo : null));
                case BIAS -> out.add(new Tensor(torch, shape.clone(), name.equals("dec_dense_b") ? geo.toTorch(v, 1) : v.clone()));
                // [kh, kw, in, out] to [out, in, kh, kw] and [kh, kw, out, in] to [in, out, kh, kw]: the same axis order
                case CONV -> out.add(new Tensor(torch, new long[]{shape[3], shape[2], shape[0], shape[1]}, permute(v, shape, 3, 2, 0, 1)));
                case COPY -> out.add(new Tensor(torch, shape.clone(), v.clone()));
            }
        }
        out.addAll(masks(c));
        return out;
    }

    private static Form form(String name, long[] shape) {
        if (!name.endsWith("_W")) {
            return name.endsWith("_b") ? Form.BIAS : Form.COPY;
        }
        return shape.length == 4 ? Form.CONV : Form.DENSE;
    }

    /** [in, out] to [out, in]; {@code inputs}/{@code outputs} reorder the first features from channels-last to [C, h, w]. */
    private static Tensor dense(String torch, long[] shape, float[] v, Geometry inputs, Geometry outputs) {
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[] w = v;
        if (inputs != null) {
            w = inputs.toTorch(w, cols);
        }
        if (outputs != null) {
            float[] r = new float[w.length];
            for (int i = 0; i < rows; i++) {
                float[] row = outputs.toTorch(java.util.Arrays.copyOfRange(w, i * cols, (i + 1) * cols), 1);
                System.arraycopy(row, 0, r, i * cols, cols);
            }
            w = r;
        }
        return new Tensor(torch, new long[]{cols, rows}, permute(w, shape, 1, 0));
    }

    /** Row-major {@code v} of {@code shape} with its axes reordered: result axis a is source axis {@code order[a]}. */
    static float[] permute(float[] v, long[] shape, int... order) {
        int rank = shape.length;
        int[] dims = new int[rank];
        int[] stride = new int[rank];
        int s = 1;
        for (int a = rank - 1; a >= 0; a--) {
            dims[a] = (int) shape[a];
            stride[a] = s;
            s *= dims[a];
        }
        float[] out = new float[v.length];
        int[] idx = new int[rank];
        for (int o = 0; o < out.length; o++) {
            int src = 0;
            for (int a = 0; a < rank; a++) {
                src += idx[a] * stride[order[a]];
            }
            out[o] = v[src];
            for (int a = rank - 1; a >= 0; a--) {
                if (++idx[a] < dims[order[a]]) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return out;
    }

    /** The MADE masks of the IAF posterior and the flow prior, and the PixelCNN masks, as {@code <module>.mask}. */
    private static List<Tensor> masks(VaeConfig c) {
        List<Tensor> out = new ArrayList<>();
        if (c.posterior().kind() == PosteriorKind.IAF) {
            // Masks depend on the degrees and widths only; the feature width (1 here) does not enter them.
            InverseAutoregressiveFlow f = new InverseAutoregressiveFlow(c.latentDim(), 1, c.posterior().length(),
                    c.posterior().madeHidden(), c.posterior().contextDim(), c.activation());
            for (int k = 0; k < c.posterior().length(); k++) {
                out.addAll(madeMasks("posterior.flow." + k, f.step(k), List.of("m", "s")));
            }
        }
        if (c.prior().kind() == PriorKind.FLOW) {
            AutoregressiveFlowPrior p = new AutoregressiveFlowPrior(c.priorDim(), c.prior().flowSteps(), c.prior().flowHidden(),
                    c.activation());
            for (int k = 0; k < p.stepCount(); k++) {
                out.addAll(madeMasks("prior.flow." + k, p.step(k), List.of("mu", "alpha")));
            }
        }
        int layers = c.network().pixelCnnLayers();
        int k = c.network().pixelCnnKernel();
        int channels = c.network().pixelCnnChannels();
        for (int i = 0; i < layers; i++) {
            int in = i == 0 ? c.image().channels() : channels;
            float[] m = PixelCnnDecoder.mask(k, in, channels, i > 0).castTo(DataType.FLOAT).ravel().toFloatVector();
            long[] shape = {k, k, in, channels};
            out.add(new Tensor("decoder.pixelcnn." + i + ".mask", new long[]{channels, in, k, k}, permute(m, shape, 3, 2, 0, 1)));
        }
        return out;
    }

    private static List<Tensor> madeMasks(String module, Made made, List<String> heads) {
        List<Tensor> out = new ArrayList<>();
        List<double[][]> masks = made.masks();
        for (int i = 0; i < masks.size(); i++) {
            double[][] m = masks.get(i);
            int rows = m.length;
            int cols = m[0].length;
            float[] t = new float[rows * cols];
            for (int r = 0; r < rows; r++) {
                for (int col = 0; col < cols; col++) {
                    t[col * rows + r] = (float) m[r][col];
                }
            }
            long[] shape = {cols, rows};
            if (i < masks.size() - 1) {
                out.add(new Tensor(module + ".hidden." + i + ".mask", shape, t));
            } else {
                for (String h : heads) {
                    out.add(new Tensor(module + "." + h + ".mask", shape, t.clone()));
                }
            }
        }
        return out;
    }

    /** The smallest feature map of a convolutional network, h x w x C, whose flatten order differs between us and PyTorch. */
    private record Geometry(int height, int width, int channels) {
        static Geometry of(VaeConfig c) {
            if (c.network().architecture() != Architecture.CONV) {
                return null;
            }
            List<Integer> stages = c.network().convChannels();
            int factor = 1 << stages.size();
            return new Geometry(c.image().height() / factor, c.image().width() / factor, stages.get(stages.size() - 1));
        }

        /**
         * {@code v} holds rows of {@code stride} values; row (y w + x) C + ch moves to row ch h w + y w + x (rows past
         * the feature map, the condition of a conditional encoder, stay).
         */
        float[] toTorch(float[] v, int stride) {
            float[] out = v.clone();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int ch = 0; ch < channels; ch++) {
                        int ours = (y * width + x) * channels + ch;
                        int torch = (ch * height + y) * width + x;
                        System.arraycopy(v, ours * stride, out, torch * stride, stride);
                    }
                }
            }
            return out;
        }
    }
}
