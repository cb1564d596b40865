package org.vaespark.core.model.structure;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.likelihood.Likelihoods;
import org.vaespark.core.model.likelihood.ObservationModel;
import org.vaespark.core.model.Architecture;
import org.vaespark.core.model.network.Decoder;
import org.vaespark.core.model.network.Gaussian;
import org.vaespark.core.model.network.GaussianEncoder;
import org.vaespark.core.model.network.GaussianMlp;
import org.vaespark.core.model.network.Networks;
import org.vaespark.core.model.objective.Objectives;
import org.vaespark.core.model.objective.Terms;
import org.vaespark.core.model.prior.Prior;
import org.vaespark.core.model.prior.Priors;

/**
 * A frozen copy of the two-layer structure as it was before the K-layer hierarchy replaced it (commit b242dbc):
 * the oracle the K = 2 top-down model is held to (same parameter layout, same numbers).
 *
 * The hierarchical VAE with two stochastic layers and top-down inference of Tomczak &amp; Welling
 * 2018 (Sec. 3, App. B): q(z1, z2|x) = q(z2|x) q(z1|x, z2) and p(x, z1, z2) = p(z2) p(z1|z2)
 * p(x|z1, z2), all conditionals diagonal Gaussians except p(x|.) and the prior p(z2) (any
 * {@code model.prior.kind}; the VampPrior uses q(z2|x) on its pseudo-inputs).
 *
 * <p>Networks: q(z2|x) is the configured encoder ({@code enc_*}); q(z1|x, z2) is a dense stack
 * {@code q_z1_*} (widths {@code model.hierarchy.hidden}) on [encoder features of x, z2]; p(z1|z2)
 * the stack {@code p_z1_*} on z2; p(x|z1, z2) the configured decoder on [z1, z2]. Noise: columns
 * 0..d2-1 of {@code eps} drive z2, columns d2..d2+d1-1 drive z1. Outputs: log p(z) = log p(z2) +
 * log p(z1|z2), log q(z|x) = log q(z2|x) + log q(z1|x, z2), the per-layer Monte-Carlo KLs
 * {@link VaeNames#KL_Z1} and {@link VaeNames#KL_Z2}, and Z_MEAN / Z_LOGVAR of q(z2|x), the layer
 * the prior is on. There is no closed-form KL: the objective uses log q - log p per sample.
 */
final class LegacyTwoLayerVae implements Structure {
    /** Name prefix of the q(z1|x, z2) network. */
    public static final String Q_Z1 = "q_z1";
    /** Name prefix of the p(z1|z2) network. */
    public static final String P_Z1 = "p_z1";

    private final VaeConfig c;
    private final int d1;
    private final int d2;
    private final GaussianEncoder encoder;
    private final GaussianMlp qZ1;
    private final GaussianMlp pZ1;
    private final Prior prior;
    private final ObservationModel likelihood;
    private final Decoder decoder;

    LegacyTwoLayerVae(VaeConfig c) {
        this.c = c;
        this.d1 = c.latentDim();
        this.d2 = c.structure().topLatentDim();
        boolean gated = c.network().architecture() == Architecture.GATED;
        List<Integer> hidden = c.structure().hierarchyHidden();
        this.encoder = Networks.encoder(c, 0, d2);
        this.qZ1 = new GaussianMlp(Q_Z1, encoder.featureWidth() + d2, hidden, c.activation(), gated, d1);
        this.pZ1 = new GaussianMlp(P_Z1, d2, hidden, c.activation(), gated, d1);
        this.prior = Priors.create(c, d2, encoder);
        this.likelihood = Likelihoods.create(c);
        this.decoder = Networks.decoder(c, d1 + d2, 0, likelihood.outputWidth());
    }

    @Override
    public void declare(ParameterLayout p) {
        encoder.declare(p);
        qZ1.declare(p);
        pZ1.declare(p);
        prior.declare(p);
        decoder.declare(p);
        likelihood.declare(p);
    }

    @Override
    public void build(Graph g) {
        SameDiff sd = g.sd();
        Gaussian q2 = encoder.encode(g, g.x(), null);
        SDVariable mu2 = sd.identity(VaeNames.Z_MEAN, q2.mean());
        SDVariable logvar2 = sd.identity(VaeNames.Z_LOGVAR, q2.logvar());
        SDVariable eps2 = g.noise(0, d2);
        SDVariable z2 = eps2.mul(sd.math.exp(logvar2.mul(0.5))).add(mu2);                  // [S, B, d2]
        SDVariable logQz2 = logGaussianFromNoise(g, eps2, logvar2, d2);
        SDVariable logPz2 = prior.logDensity(g, z2);

        SDVariable z2Rows = g.flattenSamples(z2, d2);                                       // [S*B, d2]
        int h = encoder.featureWidth();
        SDVariable xRows = g.flattenSamples(g.repeatOverSamples(q2.features()), h);       // [S*B, h]
        Gaussian q1 = qZ1.forward(g, sd.concat(1, xRows, z2Rows));
        SDVariable mu1 = g.unflattenSamples(q1.mean(), d1);
        SDVariable logvar1 = g.unflattenSamples(q1.logvar(), d1);
        SDVariable eps1 = g.noise(d2, d1);
        SDVariable z1 = eps1.mul(sd.math.exp(logvar1.mul(0.5))).add(mu1);                  // [S, B, d1]
        SDVariable logQz1 = logGaussianFromNoise(g, eps1, logvar1, d1);
        Gaussian p1 = pZ1.forward(g, z2Rows);
        SDVariable pMu1 = g.unflattenSamples(p1.mean(), d1);
        SDVariable pLogvar1 = g.unflattenSamples(p1.logvar(), d1);
        SDVariable logPz1 = g.logNormal(z1, pMu1, pLogvar1, 2, d1);
        sd.identity(VaeNames.Z_SAMPLE, z2);
        sd.identity(VaeNames.Z1_SAMPLE, z1);
        sd.identity(VaeNames.Z1_MEAN, mu1);
        sd.identity(VaeNames.Z1_LOGVAR, logvar1);
        sd.identity(VaeNames.PRIOR_Z1_MEAN, pMu1);
        sd.identity(VaeNames.PRIOR_Z1_LOGVAR, pLogvar1);

        SDVariable out = decoder.decode(g, sd.concat(1, g.flattenSamples(z1, d1), z2Rows), null);
        SDVariable logPx = sd.identity(VaeNames.LOG_PX_Z,
                likelihood.logProb(g, g.x(), g.unflattenSamples(out, likelihood.outputWidth())));
        if (c.decoderMeanUnavailable() == null) {
            sd.identity(VaeNames.X_MEAN, g.unflattenSamples(likelihood.mean(g, out), c.inputDim()));
        }
        SDVariable logPz = sd.identity(VaeNames.LOG_PZ, logPz2.add(logPz1));
        SDVariable logQz = sd.identity(VaeNames.LOG_QZ_X, logQz2.add(logQz1));
        sd.identity(VaeNames.LOG_W, logPx.add(logPz).sub(logQz));
        sd.identity(VaeNames.KL_Z1, logQz1.sub(logPz1));
        sd.identity(VaeNames.KL_Z2, logQz2.sub(logPz2));
        Objectives.loss(g, new Terms(logPx, logPz, logQz, null, mu2, logvar2, z2));
    }

    /** log N(mu + sigma * eps; mu, sigma^2) = sum_j -eps_j^2 / 2 - logvar_j / 2 - log(2 pi) / 2, per sample. */
    private static SDVariable logGaussianFromNoise(Graph g, SDVariable eps, SDVariable logvar, int d) {
        return g.sumLast(eps.mul(eps).add(logvar).mul(-0.5).sub(Graph.HALF_LOG_2PI), 2, d);
    }

    /** z1 = mu(z2) + sigma(z2) eps1 from p(z1|z2), then the decoder mean of p(x|z1, z2). */
    @Override
    public SDVariable decodeMean(Graph g, SDVariable z, SDVariable lowerNoise, SDVariable condition) {
        ModelDescription.requireDecoderMean(c);
        Gaussian p1 = pZ1.forward(g, z);
        SDVariable z1 = lowerNoise.mul(g.sd().math.exp(p1.logvar().mul(0.5))).add(p1.mean());
        return likelihood.mean(g, decoder.decode(g, g.sd().concat(1, z1, z), null));
    }

    @Override
    public List<String> trainingOutputs() {
        return Objectives.trainingOutputs(c);
    }
}
