package org.vaespark.core.model.prior;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.Init;
import org.vaespark.core.model.network.Gaussian;
import org.vaespark.core.model.network.GaussianEncoder;

/**
 * The VampPrior (Tomczak &amp; Welling 2018, eq. 9): p(z) = (1/K) sum_k q(z|u_k), the model's
 * own encoder evaluated on K trainable pseudo-inputs u_k [K, D], so the prior and the
 * posterior share the encoder's parameters. With {@code hard-tanh} the pseudo-inputs pass
 * through hardtanh(0, 1) first, as in the paper's code. Pseudo-inputs start either as
 * N(random-mean, random-std^2) values or (init = data) as K seeded training examples plus
 * N(0, random-std^2) jitter, as the paper's code does; the latter needs
 * {@code VampPriorInit#initialiseFromData} (in the trainer, which reads the data) after the seeded initialisation.
 */
public final class VampPrior implements Prior {
    /** The pseudo-inputs u, [K, D]. */
    public static final String PSEUDO_INPUTS = "prior_pseudo_inputs";


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
}
