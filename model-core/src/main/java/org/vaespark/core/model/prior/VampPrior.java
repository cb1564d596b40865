package org.vaespark.core.model.prior;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.PriorKind;
import org.vaespark.core.model.PseudoInputInit;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.Init;
import org.vaespark.core.model.network.Gaussian;
import org.vaespark.core.model.network.GaussianEncoder;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;

/**
 * The VampPrior (Tomczak &amp; Welling 2018, eq. 9): p(z) = (1/K) sum_k q(z|u_k), the model's
 * own encoder evaluated on K trainable pseudo-inputs u_k [K, D], so the prior and the
 * posterior share the encoder's parameters. With {@code hard-tanh} the pseudo-inputs pass
 * through hardtanh(0, 1) first, as in the paper's code. Pseudo-inputs start either as
 * N(random-mean, random-std^2) values or (init = data) as K seeded training examples plus
 * N(0, random-std^2) jitter, as the paper's code does; the latter needs
 * {@link #initialiseFromData} after the seeded initialisation.
 */
public final class VampPrior implements Prior {
    /** The pseudo-inputs u, [K, D]. */
    public static final String PSEUDO_INPUTS = "prior_pseudo_inputs";

    private static final long CHOICE_STREAM = 0x7A3BL;
    private static final long JITTER_STREAM = 0x7A3CL;

    private final int dim;
    private final int components;
    private final int inputDim;
    private final boolean hardTanh;
    private final Init init;
    private final GaussianEncoder encoder;

    /** @param encoder the model's unconditional q(z|x); its output dimension must be {@code dim} */
    public VampPrior(VaeConfig c, int dim, GaussianEncoder encoder) {
        this.dim = dim;
        this.components = c.prior().components();
        this.inputDim = c.inputDim();
        this.hardTanh = c.prior().hardTanh();
        this.init = new Init.Normal(c.prior().pseudoMean(), c.prior().pseudoStd());
        this.encoder = encoder;
    }

    @Override
    public void declare(ParameterLayout p) {
        p.add(PSEUDO_INPUTS, new long[]{components, inputDim}, init);
    }

    @Override
    public SDVariable logDensity(Graph g, SDVariable z) {
        SDVariable u = g.param(PSEUDO_INPUTS);
        if (hardTanh) {
            // hardtanh clamped to [0, 1]: (hardtanh(2u - 1) + 1) / 2
            u = g.sd().nn.hardTanh(u.mul(2.0).sub(1.0)).add(1.0).mul(0.5);
        }
        Gaussian q = encoder.encode(g, u, null);
        return DiagonalGaussianMixture.logDensity(g, z, q.mean(), q.logvar(), dim, components);
    }

    /**
     * Replaces the pseudo-inputs of {@code params} by K distinct training examples of
     * {@code data} chosen by {@code seed}, pixel-encoded with {@code binarization} (draw 0 of a
     * dynamic binarization), plus N(0, random-std^2) jitter (Tomczak &amp; Welling's code adds
     * 0.01-std noise, which also keeps binary pixels off hardtanh's kinks). Returns
     * {@code params} unchanged unless the model has a VampPrior with {@code init = data}.
     */
    public static NamedArrays initialiseFromData(VaeConfig c, NamedArrays params, Shard data, Binarization binarization,
                                                 long seed) {
        if (c.prior().kind() != PriorKind.VAMP || c.prior().pseudoInit() != PseudoInputInit.DATA) {
            return params;
        }
        int k = c.prior().components();
        int d = c.inputDim();
        if (data.dim() != d) {
            throw new IllegalArgumentException("training rows have " + data.dim() + " values, the model expects " + d);
        }
        if (k > data.size()) {
            throw Errors.badConfigValue("model.prior.components", k, "at most the " + data.size()
                    + " training examples the pseudo-inputs are drawn from, or model.prior.pseudo-inputs.init=random");
        }
        int[] rows = chooseRows(data.size(), k, seed);
        long[] ids = new long[k];
        float[] u = new float[k * d];
        for (int i = 0; i < k; i++) {
            ids[i] = data.ids()[rows[i]];
            PixelEncoding.encode(data.pixels(), rows[i], d, ids[i], binarization, seed, 0, u, i);
        }
        float[] jitter = new float[k * d];
        NoiseSource.fill(jitter, seed, JITTER_STREAM, ids, 0, 1, d);
        float std = (float) c.prior().pseudoStd();
        for (int i = 0; i < u.length; i++) {
            u[i] += std * jitter[i];
        }
        return params.map((name, v) -> name.equals(PSEUDO_INPUTS) ? u : v);
    }

    /** K distinct row indices of 0 .. n - 1, a pure function of (n, k, seed) (partial Fisher-Yates). */
    public static int[] chooseRows(int n, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(NoiseSource.derive(seed, CHOICE_STREAM));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return Arrays.copyOf(order, k);
    }
}
