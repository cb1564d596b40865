package org.vaespark.core.model.structure;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.vaespark.core.model.Architecture;
import org.vaespark.core.model.HierarchyInference;
import org.vaespark.core.model.HierarchySpec;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.likelihood.Likelihoods;
import org.vaespark.core.model.likelihood.ObservationModel;
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
 * The hierarchical VAE with K stochastic layers z_1 (next to x) .. z_K of the course notes
 * (docs/math.md, "K-layer hierarchical VAE"):
 * p(x, z) = p(z_K) prod_{k&lt;K} p(z_k | z_{k+1:K}) p(x | z_{1:K}), with skip connections from every layer to x, or
 * with {@code model.hierarchy.markovian} p(z_k | z_{k+1}) and p(x | z_1). Every conditional is a diagonal Gaussian
 * except p(x|.) and the prior p(z_K) (any {@code model.prior.kind}). With K = 2, top-down inference and the
 * non-Markovian model this is the HVAE of Tomczak &amp; Welling 2018 (Sec. 3, App. B), parameter for parameter.
 *
 * <p>Networks ({@link HierarchyNetworks}): the configured encoder {@code enc_*} gives the features h(x) and q of one
 * layer (z_K, or z_1 bottom-up); {@code q_z<k>} the other q conditionals, {@code p_z<k>} the generative ones (dense
 * stacks of widths {@code model.hierarchy.hidden}); the configured decoder reads [z_1, .., z_K] (or z_1). Inference:
 * <ul>
 * <li>top-down: q(z_K|x) prod_{k&lt;K} q(z_k | x, z_{k+1:K}), {@code q_z<k>} on [h(x), z_{k+1}, .., z_K] (Markovian:
 * [h(x), z_{k+1}]);
 * <li>bottom-up: q(z_1|x) prod_{k&gt;1} q(z_k | x, z_{1:k-1}), {@code q_z<k>} on [h(x), z_1, .., z_{k-1}] (Markovian:
 * on z_{k-1} alone, Burda et al. 2016's q(z2|z1));
 * <li>bidirectional: q(z_K|x), then q(z_k | x, z_{k+1:K}) from Gaussian heads {@code q_z<k>} on [h(x), s_k], s_k the
 * last hidden layer of p(z_k|.)'s network: q shares the generative top-down path and adds the deterministic
 * bottom-up features of x (Kingma et al. 2016; Vahdat &amp; Kautz 2020; Child 2021).
 * </ul>
 * Noise: the layers' columns of {@code eps} side by side from the top ({@link HierarchySpec#noiseOffset}). Outputs:
 * log p(z) and log q(z|x) summed over the layers, the per-layer Monte-Carlo KLs {@link VaeNames#layerKl}, the
 * per-layer samples and moments of q and p ({@link VaeNames#layerMean} ...) of every layer but the encoder's top
 * layer, and Z_MEAN / Z_LOGVAR / Z_SAMPLE: the encoder's Gaussian and the sample of z_K.
 */
public final class HierarchicalVae implements Structure {
    /** Name prefix of the q(z1|x, z2) network of the two-layer model. */
    public static final String Q_Z1 = qLayer(1);
    /** Name prefix of the p(z1|z2) network of the two-layer model. */
    public static final String P_Z1 = pLayer(1);

    private final VaeConfig c;
    private final HierarchySpec h;
    private final HierarchyNetworks nets;
    private final GaussianEncoder encoder;
    private final Prior prior;
    private final ObservationModel likelihood;
    private final Decoder decoder;

    public HierarchicalVae(VaeConfig c) {
        this.c = c;
        this.h = c.structure().hierarchy();
        this.encoder = Networks.encoder(c, 0, h.dim(HierarchyNetworks.encodedLayer(h)));
        this.nets = new HierarchyNetworks(h, encoder.featureWidth(), c.activation(),
                c.network().architecture() == Architecture.GATED);
        this.prior = Priors.create(c, h.topDim(), encoder);
        this.likelihood = Likelihoods.create(c);
        this.decoder = Networks.decoder(c, h.width(h.parents(0)), 0, likelihood.outputWidth());
    }

    /** Name prefix of the network of q(z_k|.). */
    public static String qLayer(int k) {
        return "q_z" + k;
    }

    /** Name prefix of the network of p(z_k|.), k &lt; K. */
    public static String pLayer(int k) {
        return "p_z" + k;
    }

    @Override
    public void declare(ParameterLayout p) {
        encoder.declare(p);
        nets.declare(p);
        prior.declare(p);
        decoder.declare(p);
        likelihood.declare(p);
    }

    @Override
    public void build(Graph g) {
        SameDiff sd = g.sd();
        int K = h.layers();
        int top = HierarchyNetworks.encodedLayer(h);
        Gaussian e = encoder.encode(g, g.x(), null);
        SDVariable mu = sd.identity(VaeNames.Z_MEAN, e.mean());
        SDVariable logvar = sd.identity(VaeNames.Z_LOGVAR, e.logvar());
        SDVariable xRows = g.flattenSamples(g.repeatOverSamples(e.features()), encoder.featureWidth());   // [S*B, h]
        SDVariable[] z = new SDVariable[K + 1];        // [S, B, d_k]
        SDVariable[] rows = new SDVariable[K + 1];     // [S*B, d_k]
        SDVariable[] logQ = new SDVariable[K + 1];
        SDVariable[] logP = new SDVariable[K + 1];
        Gaussian[] p = new Gaussian[K + 1];

        SDVariable eps0 = g.noise(h.noiseOffset(top), h.dim(top));
        z[top] = eps0.mul(sd.math.exp(logvar.mul(0.5))).add(mu);
        rows[top] = g.flattenSamples(z[top], h.dim(top));
        logQ[top] = logGaussianFromNoise(g, eps0, logvar, h.dim(top));
        if (top == 1) {
            layerOutputs(g, 1, z[1], g.repeatOverSamples(mu), g.repeatOverSamples(logvar));
        }
        for (int k : HierarchyNetworks.inferenceOrder(h)) {
            int d = h.dim(k);
            if (k < K && top == K) {
                p[k] = nets.p(k).forward(g, concat(sd, rows, h.parents(k)));
            }
            List<SDVariable> in = new ArrayList<>();
            if (nets.qReadsX(k)) {
                in.add(xRows);
            }
            if (h.inference() == HierarchyInference.BIDIRECTIONAL) {
                in.add(p[k].features());
            } else {
                for (int j : nets.qParents(k)) {
                    in.add(rows[j]);
                }
            }
            Gaussian q = nets.q(k).forward(g, in.size() == 1 ? in.get(0) : sd.concat(1, in.toArray(new SDVariable[0])));
            SDVariable qMu = g.unflattenSamples(q.mean(), d);
            SDVariable qLogvar = g.unflattenSamples(q.logvar(), d);
            SDVariable eps = g.noise(h.noiseOffset(k), d);
            z[k] = eps.mul(sd.math.exp(qLogvar.mul(0.5))).add(qMu);
            rows[k] = g.flattenSamples(z[k], d);
            logQ[k] = logGaussianFromNoise(g, eps, qLogvar, d);
            layerOutputs(g, k, z[k], qMu, qLogvar);
        }
        for (int k = K - 1; k >= 1; k--) {
            if (p[k] == null) {
                p[k] = nets.p(k).forward(g, concat(sd, rows, h.parents(k)));
            }
            SDVariable pMu = g.unflattenSamples(p[k].mean(), h.dim(k));
            SDVariable pLogvar = g.unflattenSamples(p[k].logvar(), h.dim(k));
            logP[k] = g.logNormal(z[k], pMu, pLogvar, 2, h.dim(k));
            sd.identity(VaeNames.layerPriorMean(k), pMu);
            sd.identity(VaeNames.layerPriorLogvar(k), pLogvar);
        }
        logP[K] = prior.logDensity(g, z[K]);
        sd.identity(VaeNames.Z_SAMPLE, z[K]);

        SDVariable out = decoder.decode(g, concat(sd, rows, h.parents(0)), null);
        SDVariable logPx = sd.identity(VaeNames.LOG_PX_Z,
                likelihood.logProb(g, g.x(), g.unflattenSamples(out, likelihood.outputWidth())));
        if (c.decoderMeanUnavailable() == null) {
            sd.identity(VaeNames.X_MEAN, g.unflattenSamples(likelihood.mean(g, out), c.inputDim()));
        }
        SDVariable sumP = logP[K];
        SDVariable sumQ = logQ[K];
        for (int k = K - 1; k >= 1; k--) {
            sumP = sumP.add(logP[k]);
            sumQ = sumQ.add(logQ[k]);
        }
        SDVariable logPz = sd.identity(VaeNames.LOG_PZ, sumP);
        SDVariable logQz = sd.identity(VaeNames.LOG_QZ_X, sumQ);
        sd.identity(VaeNames.LOG_W, logPx.add(logPz).sub(logQz));
        for (int k = 1; k <= K; k++) {
            sd.identity(VaeNames.layerKl(k), logQ[k].sub(logP[k]));
        }
        Objectives.loss(g, new Terms(logPx, logPz, logQz, null, mu, logvar, z[K]));
    }

    /** The sample and the moments of q(z_k|.) of a layer other than the encoder's top layer, [S, B, d_k] each. */
    private static void layerOutputs(Graph g, int k, SDVariable z, SDVariable mean, SDVariable logvar) {
        g.sd().identity(VaeNames.layerSample(k), z);
        g.sd().identity(VaeNames.layerMean(k), mean);
        g.sd().identity(VaeNames.layerLogvar(k), logvar);
    }

    /** The rows of {@code layers} side by side, [S*B, sum d]. */
    private static SDVariable concat(SameDiff sd, SDVariable[] rows, List<Integer> layers) {
        if (layers.size() == 1) {
            return rows[layers.get(0)];
        }
        SDVariable[] parts = new SDVariable[layers.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = rows[layers.get(i)];
        }
        return sd.concat(1, parts);
    }

    /** log N(mu + sigma * eps; mu, sigma^2) = sum_j -eps_j^2 / 2 - logvar_j / 2 - log(2 pi) / 2, per sample. */
    private static SDVariable logGaussianFromNoise(Graph g, SDVariable eps, SDVariable logvar, int d) {
        return g.sumLast(eps.mul(eps).add(logvar).mul(-0.5).sub(Graph.HALF_LOG_2PI), 2, d);
    }

    /**
     * z_K = {@code z}, then z_k = mu(z_{k+1:K}) + sigma(z_{k+1:K}) eps_k from p(z_k|.) down to z_1, then the decoder
     * mean of p(x|.). {@code lowerNoise} [N, d_1 + .. + d_{K-1}] holds eps_{K-1} .. eps_1 side by side (the noise
     * layout without the top layer; K = 2: eps_1).
     */
    @Override
    public SDVariable decodeMean(Graph g, SDVariable z, SDVariable lowerNoise, SDVariable condition) {
        ModelDescription.requireDecoderMean(c);
        SameDiff sd = g.sd();
        int K = h.layers();
        SDVariable[] rows = new SDVariable[K + 1];
        rows[K] = z;
        for (int k = K - 1; k >= 1; k--) {
            Gaussian p = nets.p(k).forward(g, concat(sd, rows, h.parents(k)));
            SDVariable eps = K == 2 ? lowerNoise : sd.slice(lowerNoise, new int[]{0, h.noiseOffset(k) - h.topDim()}, -1,
                    h.dim(k));
            rows[k] = eps.mul(sd.math.exp(p.logvar().mul(0.5))).add(p.mean());
        }
        return likelihood.mean(g, decoder.decode(g, concat(sd, rows, h.parents(0)), null));
    }

    @Override
    public List<String> trainingOutputs() {
        return Objectives.trainingOutputs(c);
    }
}
