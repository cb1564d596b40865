package org.vaespark.core.samediff;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The generative half of a model on its own: latents z of the prior's space (z2 in an HVAE) in,
 * the decoder mean of p(x|z) out ({@code ObservationModel#mean}), built by the model's own
 * {@code Structure} from the same components and parameter names as the training graph, so a
 * checkpoint's parameters load unchanged. Used to draw samples from the prior and to decode latent
 * interpolations (Kingma &amp; Welling 2014, Fig. 4). Not thread-safe.
 */
public final class DecoderGraph {
    private final VaeConfig config;
    private final SameDiff sd;

    public DecoderGraph(VaeConfig config, NamedArrays params) {
        requireAvailable(config);
        this.config = config;
        this.sd = SameDiff.create();
        for (String name : params.names()) {
            sd.var(name, params.toNd4j(name).castTo(DataType.FLOAT));
        }
        Graph g = new Graph(sd, config, DataType.FLOAT);
        SDVariable z = sd.placeHolder(VaeNames.Z_IN, DataType.FLOAT, -1, config.priorDim());
        SDVariable lower = config.kind() == ModelKind.HVAE
                ? sd.placeHolder(VaeNames.Z1_NOISE, DataType.FLOAT, -1, lowerNoiseDim(config)) : null;
        SDVariable condition = Labels.needed(config) ? g.labels() : null;
        sd.identity(VaeNames.DECODED_MEAN, ModelDescription.structure(config).decodeMean(g, z, lower, condition));
    }

    /** HVAE: d_1 + .. + d_K-1, the noise of the layers below the top one the prior samples (K = 2: d1). */
    public static int lowerNoiseDim(VaeConfig c) {
        return c.structure().hierarchy().totalDim() - c.structure().hierarchy().topDim();
    }

    /** Why this model has no decoder mean that is a function of z, or null when it has one. */
    public static String unavailable(VaeConfig c) {
        String noGraph = org.vaespark.core.model.structure.ModelDescription.graphUnavailable(c);
        if (noGraph != null) {
            return noGraph + "; its pictures come with evaluate.diagnostics = [multimodal]";
        }
        return c.decoderMeanUnavailable();
    }

    /** Throws {@link UnsupportedOperationException} with {@link #unavailable}'s reason. */
    public static void requireAvailable(VaeConfig c) {
        ModelDescription.requireDecoderMean(c);
    }

    /**
     * Decoder means [N, D] in the input scale.
     *
     * @param z          latents [N, priorDim]
     * @param lowerNoise HVAE: standard-normal noise of the layers below the top, [N, {@link #lowerNoiseDim}], z_K-1's
     *                   columns first, z_1's last (K = 2: z1 given z2, [N, d1]; zeros: each z_k = the mean of
     *                   p(z_k|.)); null means zeros; ignored by other models
     * @param labels     class of each row for CVAE and M2 (required there); null otherwise
     */
    public INDArray mean(INDArray z, INDArray lowerNoise, int[] labels) {
        long n = z.size(0);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(VaeNames.Z_IN, z.castTo(DataType.FLOAT));
        if (config.kind() == ModelKind.HVAE) {
            ph.put(VaeNames.Z1_NOISE, lowerNoise == null ? Nd4j.zeros(DataType.FLOAT, n, lowerNoiseDim(config))
                    : lowerNoise.castTo(DataType.FLOAT));
        }
        if (Labels.needed(config)) {
            if (labels == null || labels.length != n) {
                throw new IllegalArgumentException("this " + config.kind() + " model decodes p(x|z, y): give one class per row");
            }
            long[] ids = new long[(int) n];
            for (int i = 0; i < n; i++) {
                ids[i] = i;
            }
            ph.put(VaeNames.Y, Labels.feed(config, Nd4j.zeros(DataType.FLOAT, n, 1), null, 0, ids, labels).labels());
        }
        return sd.output(ph, VaeNames.DECODED_MEAN).get(VaeNames.DECODED_MEAN);
    }

    public VaeConfig config() {
        return config;
    }
}
