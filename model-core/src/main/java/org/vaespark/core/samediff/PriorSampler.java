package org.vaespark.core.samediff;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.PriorKind;
import org.vaespark.core.model.prior.FlowPriorSampler;
import org.vaespark.core.model.prior.MixtureOfGaussiansPrior;
import org.vaespark.core.model.prior.VampPrior;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Draws z ~ p(z) for a model with given parameters, seeded: row i of a draw is a pure function of
 * (seed, i). N(0, I); the mixture of Gaussians and the VampPrior (Tomczak &amp; Welling 2018, eq. 9)
 * by ancestral sampling, a uniformly chosen component k then z ~ N(mu_k, diag sigma_k^2), where a
 * VampPrior component is q(z|u_k), the model's own encoder on pseudo-input u_k (hardtanh to [0, 1]
 * first when configured); the autoregressive flow prior by inverting the flow on N(0, I) noise
 * ({@link FlowPriorSampler}). In an HVAE the draw is z2, the top layer the prior is on.
 */
public final class PriorSampler {
    /** Noise stream of the standard-normal draws. */
    public static final long SAMPLE_STREAM = 0x5A3DL;
    /** Stream of the mixture component choices. */
    public static final long CHOICE_STREAM = 0x5A3EL;

    private final VaeConfig config;
    private final int dim;
    private final double[][] means;
    private final double[][] logvars;
    private final FlowPriorSampler flow;

    public PriorSampler(VaeConfig config, NamedArrays params) {
        this.config = config;
        this.dim = config.priorDim();
        PriorKind kind = config.prior().kind();
        if (kind == PriorKind.MOG) {
            means = rows(params.toNd4j(MixtureOfGaussiansPrior.MEANS));
            logvars = rows(params.toNd4j(MixtureOfGaussiansPrior.LOGVARS));
        } else if (kind == PriorKind.VAMP) {
            INDArray[] q = pseudoPosteriors(config, params);
            means = rows(q[0]);
            logvars = rows(q[1]);
        } else {
            means = null;
            logvars = null;
        }
        this.flow = kind == PriorKind.FLOW ? new FlowPriorSampler(config, params) : null;
    }

    /**
     * The VampPrior's components: mean and log-variance of q(z|u_k) for every pseudo-input, [K, d]
     * each, from the model's training graph (its Z_MEAN and Z_LOGVAR, the encoder's Gaussian).
     */
    public static INDArray[] pseudoPosteriors(VaeConfig config, NamedArrays params) {
        INDArray u = pseudoInputs(config, params);
        Vae model = Vae.withParameters(config, params);
        INDArray eps = Nd4j.zeros(DataType.FLOAT, 1, u.size(0), config.noiseDim());
        Map<String, INDArray> out = model.output(u, eps, VaeNames.Z_MEAN, VaeNames.Z_LOGVAR);
        return new INDArray[]{out.get(VaeNames.Z_MEAN), out.get(VaeNames.Z_LOGVAR)};
    }

    /** The pseudo-inputs as the encoder sees them, [K, D]: clipped to [0, 1] when hardtanh is configured. */
    public static INDArray pseudoInputs(VaeConfig config, NamedArrays params) {
        INDArray u = params.toNd4j(VampPrior.PSEUDO_INPUTS).castTo(DataType.FLOAT).dup('c');
        return config.prior().hardTanh() ? org.nd4j.linalg.ops.transforms.Transforms.min(
                org.nd4j.linalg.ops.transforms.Transforms.max(u, 0.0, false), 1.0, false) : u;
    }

    /** n draws, [n, priorDim], float. */
    public INDArray sample(int n, long seed) {
        long[] rowIds = new long[n];
        for (int i = 0; i < n; i++) {
            rowIds[i] = i;
        }
        float[] eps = new float[n * dim];
        NoiseSource.fill(eps, seed, SAMPLE_STREAM, rowIds, 0, 1, dim);
        if (flow != null) {
            return flow.inverse(Nd4j.create(eps, new long[]{n, dim}, 'c')).castTo(DataType.FLOAT);
        }
        if (means != null) {
            for (int i = 0; i < n; i++) {
                int k = component(seed, i, means.length);
                for (int j = 0; j < dim; j++) {
                    eps[i * dim + j] = (float) (means[k][j] + Math.exp(0.5 * logvars[k][j]) * eps[i * dim + j]);
                }
            }
        }
        return Nd4j.create(eps, new long[]{n, dim}, 'c');
    }

    /** The mixture component of row i: uniform over K, a pure function of (seed, i). */
    public static int component(long seed, long row, int k) {
        return Math.min(k - 1, (int) (NoiseSource.uniform(seed, CHOICE_STREAM, row, 0) * k));
    }

    public VaeConfig config() {
        return config;
    }

    private static double[][] rows(INDArray a) {
        return a.castTo(DataType.DOUBLE).toDoubleMatrix();
    }
}
