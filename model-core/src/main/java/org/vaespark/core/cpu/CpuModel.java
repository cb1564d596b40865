package org.vaespark.core.cpu;

import java.util.List;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.Likelihood;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.flow.InverseAutoregressiveFlow;
import org.vaespark.core.model.flow.Made;
import org.vaespark.core.model.Architecture;
import org.vaespark.core.model.prior.AutoregressiveFlowPrior;
import org.vaespark.core.model.prior.MixtureOfGaussiansPrior;
import org.vaespark.core.model.prior.VampPrior;
import org.vaespark.core.model.HierarchyInference;
import org.vaespark.core.model.HierarchySpec;
import org.vaespark.core.model.structure.HierarchicalVae;
import org.vaespark.core.model.structure.HierarchyNetworks;

/**
 * A model of the MLP family run by the CPU executor: the structure the model's config describes
 * (encoder, prior, decoder, likelihood; one stochastic layer, Kingma &amp; Welling 2014, or K of them,
 * {@link HierarchicalVae}), composed of {@link Tape} layers under the
 * parameter names of the model's layout, so a checkpoint of either executor runs on the other.
 * It returns the same named per-sample quantities as the graph ({@link Outputs}).
 */
public final class CpuModel {
    private final VaeConfig c;
    private final boolean gated;
    private List<Made> iaf;
    private List<Made> flowPrior;
    private CpuMultimodal multimodal;
    private HierarchyNetworks hierarchyNetworks;
    /** Evaluation under fixed parameters: the VampPrior's component moments, computed once (see {@link #frozen}). */
    private boolean fixedParameters;
    private float[] vampMean;
    private float[] vampLogvar;

    private CpuModel(VaeConfig c) {
        this.c = c;
        this.gated = c.network().architecture() == Architecture.GATED;
    }

    /** The CPU model of {@code c}: every model a valid config describes. */
    public static CpuModel of(VaeConfig c) {
        return new CpuModel(c);
    }

    public VaeConfig config() {
        return c;
    }

    /**
     * A model for forward passes whose parameters never change (an IWAE-k evaluation of one checkpoint): the
     * VampPrior's K components, the encoder's moments of the K pseudo-inputs (Tomczak &amp; Welling 2018, eq. 9), depend
     * on the parameters only, so they are computed on the first pass and reused by every later chunk and example
     * instead of re-encoding the K pseudo-inputs per chunk. Passes that train never use the stored moments.
     */
    static CpuModel frozen(VaeConfig c) {
        CpuModel m = new CpuModel(c);
        m.fixedParameters = true;
        return m;
    }

    /**
     * The per-sample quantities of a minibatch, each [S * B, 1] with row s * B + b.
     *
     * @param kl   closed-form KL(q(z|x) || N(0, I)) [B, 1], or null when the model has none
     * @param mean mean of q(z|x) [B, d] (of z2 in an HVAE)
     * @param logvar log-variance of q(z|x) [B, d]
     * @param layerKl HVAE: log q(z_k|.) - log p(z_k|.) of layer k at index k - 1 (k = 1..K); null otherwise
     * @param z    the samples of the latent the prior is on [S * B, priorDim] (MMD)
     * @param stratifiedLogW M2: log w summed over the classes inside the weight; null otherwise
     * @param bound M2 and MVAE: the per-sample bound its loss is the negative mean of; null otherwise
     * @param modalityLogW MVAE: per modality m, log p(x_m|z) + log p(z) - log q(z|x_m) with z ~ q(z|x_m), [S * B, 2];
     *                     null otherwise
     */
    public record Outputs(Tensor logPx, Tensor logPz, Tensor logQz, Tensor kl, Tensor mean, Tensor logvar,
                          List<Tensor> layerKl, Tensor z, Tensor stratifiedLogW, Tensor bound, Tensor modalityLogW) {
        Outputs(Tensor logPx, Tensor logPz, Tensor logQz, Tensor kl, Tensor mean, Tensor logvar, List<Tensor> layerKl,
                Tensor z) {
            this(logPx, logPz, logQz, kl, mean, logvar, layerKl, z, null, null, null);
        }

        /**
         * log w at row {@code r}: log p(x|z) + log p(z) - log q(z|x), or for M2 the weight stratified over the
         * classes.
         */
        public double logW(int r) {
            return stratifiedLogW != null ? stratifiedLogW.value[r] : (double) logPx.value[r] + logPz.value[r] - logQz.value[r];
        }
    }

    /**
     * One forward pass on {@code t} (reset by the caller).
     *
     * @param x   inputs [B, D], row-major
     * @param eps noise [S, B, noiseDim], row-major
     * @param condition CVAE: one-hot labels [B, classes]; M2: the same with a zero row where unlabelled; MVAE: the
     *                  feed of {@link org.vaespark.core.model.Pairing} (labels and which modalities each example holds;
     *                  null: all paired, halves only); null otherwise
     * @param beta      the KL weight of this step (M2's and MVAE's bounds depend on it)
     */
    public Outputs forward(Tape t, CpuParameters p, float[] x, int batch, float[] eps, int samples, float[] condition,
                           double beta) {
        Tensor xs = t.input(x, batch, c.inputDim());
        if (c.kind() == ModelKind.MVAE) {
            if (multimodal == null) {
                multimodal = new CpuMultimodal(c);
            }
            return multimodal.forward(t, p, xs, condition, eps, batch, samples, beta);
        }
        if (c.kind() == ModelKind.M2) {
            return semiSupervised(t, p, xs, eps, batch, samples, condition, beta);
        }
        if (c.kind() == ModelKind.HVAE) {
            return hierarchy(t, p, xs, eps, batch, samples);
        }
        Tensor y = null;
        if (c.kind() == ModelKind.CVAE) {
            if (condition == null) {
                throw new IllegalArgumentException("a CVAE needs the one-hot labels of its batch");
            }
            y = t.input(condition, batch, c.structure().classes());
        }
        return oneLayer(t, p, xs, y, eps, batch, samples);
    }

    private Outputs oneLayer(Tape t, CpuParameters p, Tensor x, Tensor condition, float[] eps, int batch, int samples) {
        return fromPosterior(t, p, x, condition, encode(t, p, condition == null ? x : t.concat(x, condition)), eps, batch,
                samples);
    }

    /**
     * The per-sample quantities of a one-layer model (VAE or CVAE) with a diagonal Gaussian q(z|x) = N(mean,
     * exp(logvar)) given directly rather than by the encoder: the local (non-amortized) posterior of Cremer, Li &amp;
     * Duvenaud (2018). On a training tape with {@link Tape#variable} moments, the backward pass gives the gradient
     * of the outputs with respect to the moments through the decoder and prior.
     *
     * @param mean   [B, d]
     * @param logvar [B, d]
     * @param eps    noise [S, B, noiseDim]
     * @param condition CVAE: one-hot labels [B, classes]; null otherwise
     */
    public Outputs fromMoments(Tape t, CpuParameters p, float[] x, int batch, Tensor mean, Tensor logvar, float[] eps,
                               int samples, float[] condition) {
        return fromMoments(t, p, x, batch, mean, logvar, eps, samples, condition, null);
    }

    /**
     * As {@link #fromMoments(Tape, CpuParameters, float[], int, Tensor, Tensor, float[], int, float[])}, with log p(x|z)
     * summed over the values of weight 1 only ({@code weights} [B, D] of 0/1, null: all values): log p(x_o|z) of the
     * observed values x_o of an image with missing values (Bernoulli and Gaussian likelihoods, which factorise over
     * values).
     */
    public Outputs fromMoments(Tape t, CpuParameters p, float[] x, int batch, Tensor mean, Tensor logvar, float[] eps,
                               int samples, float[] condition, float[] weights) {
        String refused = LocalPosterior.unavailable(c);
        if (refused != null) {
            throw new IllegalArgumentException(refused);
        }
        if (weights != null && c.likelihood() != Likelihood.BERNOULLI && c.likelihood() != Likelihood.GAUSSIAN) {
            throw new IllegalArgumentException("a " + c.likelihood() + " likelihood cannot be restricted to some values");
        }
        Tensor xs = t.input(x, batch, c.inputDim());
        Tensor y = condition == null ? null : t.input(condition, batch, c.structure().classes());
        return fromPosterior(t, p, xs, y, new Moments(mean, logvar, null), eps, batch, samples, weights);
    }

    /**
     * The mean of p(x|z) for every row of {@code z} [N, d] (one-layer models without a PixelCNN; Bernoulli: the
     * sigmoid of the logits; Gaussian: the decoder's output), [N, D] row-major.
     *
     * @param condition CVAE: one-hot labels [N, classes] of each row; null otherwise
     */
    public float[] decoderMean(Tape t, CpuParameters p, float[] z, int rows, float[] condition) {
        if (c.network().pixelCnnLayers() > 0 || (c.likelihood() != Likelihood.BERNOULLI && c.likelihood() != Likelihood.GAUSSIAN)) {
            throw new IllegalArgumentException("decoderMean needs a Bernoulli or Gaussian decoder without a PixelCNN");
        }
        Tensor zs = t.input(z, rows, c.latentDim());
        Tensor in = condition == null ? zs : t.concat(zs, t.input(condition, rows, c.structure().classes()));
        float[] out = decode(t, p, in, null).value.clone();
        if (c.likelihood() == Likelihood.BERNOULLI) {
            org.vaespark.core.kernel.PixelKernels.sigmoid(out, out, out.length);
        }
        return out;
    }

    private Outputs fromPosterior(Tape t, CpuParameters p, Tensor x, Tensor condition, Moments q, float[] eps, int batch,
                                  int samples) {
        return fromPosterior(t, p, x, condition, q, eps, batch, samples, null);
    }

    private Outputs fromPosterior(Tape t, CpuParameters p, Tensor x, Tensor condition, Moments q, float[] eps, int batch,
                                  int samples, float[] weights) {
        int d = c.latentDim();
        Tensor noise = t.noise(eps, samples * batch, c.noiseDim(), 0, d);
        Tensor z = Densities.sample(t, q.mean(), q.logvar(), noise);
        Tensor logQz = Densities.logGaussianFromNoise(t, noise, q.logvar());
        CpuFlows.Result f = switch (c.posterior().kind()) {
            case GAUSSIAN -> null;
            case PLANAR -> CpuFlows.planar(t, p, z, q.features(), samples, c.posterior().length());
            case IAF -> CpuFlows.iaf(t, p, z, q.features(), samples, iafSteps(), InverseAutoregressiveFlow.CONTEXT);
        };
        if (f != null) {
            z = f.z();
            logQz = t.sub(logQz, f.logDet());
        }
        Tensor logPz = logPrior(t, p, z);
        Tensor decoderIn = condition == null ? z : t.concat(z, t.repeat(condition, samples));
        Tensor logPx = logLikelihood(t, p, x, decode(t, p, decoderIn, x), weights);
        Tensor kl = c.analyticKl() ? Densities.klStandard(t, q.mean(), q.logvar()) : null;
        return new Outputs(logPx, logPz, logQz, kl, q.mean(), q.logvar(), null, z);
    }

    /** M2 (Kingma et al. 2014): the classes enumerated by replicating the batch class-major, as the graph does. */
    private Outputs semiSupervised(Tape t, CpuParameters p, Tensor x, float[] eps, int batch, int samples, float[] labels,
                                   double beta) {
        int k = c.structure().classes();
        int d = c.latentDim();
        boolean gatedNet = gated;
        Tensor h = Layers.stack(t, p, VaeNames::classifierLayer, x, c.structure().classifierHidden(), c.activation(), gatedNet);
        Tensor logQy = SemiSupervised.logSoftmax(t, Layers.dense(t, p, h, VaeNames.CLS_OUT));
        float[] classes = new float[k * batch * k];
        for (int cl = 0; cl < k; cl++) {
            for (int b = 0; b < batch; b++) {
                classes[(cl * batch + b) * k + cl] = 1f;
            }
        }
        Tensor yRep = t.input(classes, k * batch, k);
        Moments q = encode(t, p, t.concat(t.repeat(x, k), yRep));
        float[] noise = new float[samples * k * batch * d];
        int n = c.noiseDim();
        for (int s = 0; s < samples; s++) {
            for (int cl = 0; cl < k; cl++) {
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(eps, (s * batch + b) * n, noise, ((s * k + cl) * batch + b) * d, d);
                }
            }
        }
        Tensor epsRep = t.input(noise, samples * k * batch, d);
        Tensor z = Densities.sample(t, q.mean(), q.logvar(), epsRep);
        Tensor qz = Densities.logGaussianFromNoise(t, epsRep, q.logvar());
        Tensor pz = logPrior(t, p, z);
        Tensor px = logLikelihood(t, p, x, decode(t, p, t.concat(z, t.repeat(yRep, samples)), x));
        float[] y = labels == null ? new float[batch * k] : labels;
        SemiSupervised.Result r = SemiSupervised.bound(t, px, pz, qz, logQy, y, samples, beta, c.structure().classifierWeight());
        return new Outputs(r.logPx(), r.logPz(), r.logQz(), null, null, null, null, null, r.logW(), r.bound(), null);
    }

    private List<Made> iafSteps() {
        if (iaf == null) {
            InverseAutoregressiveFlow flow = new InverseAutoregressiveFlow(c.latentDim(), featureWidth(), c.posterior().length(),
                    c.posterior().madeHidden(), c.posterior().contextDim(), c.activation());
            iaf = new java.util.ArrayList<>();
            for (int k = 0; k < c.posterior().length(); k++) {
                iaf.add(flow.step(k));
            }
        }
        return iaf;
    }

    private List<Made> flowPriorSteps() {
        if (flowPrior == null) {
            AutoregressiveFlowPrior prior = new AutoregressiveFlowPrior(c.priorDim(), c.prior().flowSteps(), c.prior().flowHidden(),
                    c.activation());
            flowPrior = new java.util.ArrayList<>();
            for (int k = 0; k < prior.stepCount(); k++) {
                flowPrior.add(prior.step(k));
            }
        }
        return flowPrior;
    }

    /** Width of the encoder's features (its last hidden layer, or its input when it has none). */
    private int featureWidth() {
        if (c.network().architecture() == Architecture.CONV) {
            return c.network().convDense();
        }
        List<Integer> h = c.encoderHidden();
        int condition = c.kind() == ModelKind.CVAE ? c.structure().classes() : 0;
        return h.isEmpty() ? c.inputDim() + condition : h.get(h.size() - 1);
    }

    /** The K-layer model of {@link HierarchicalVae}, wired by its {@link HierarchyNetworks}. */
    private Outputs hierarchy(Tape t, CpuParameters p, Tensor x, float[] eps, int batch, int samples) {
        HierarchySpec h = c.structure().hierarchy();
        HierarchyNetworks nets = networks();
        int layers = h.layers();
        int rows = samples * batch;
        List<Integer> hidden = h.hidden();
        int top = HierarchyNetworks.encodedLayer(h);
        Moments e = encode(t, p, x);
        Tensor[] z = new Tensor[layers + 1];
        Tensor[] logQ = new Tensor[layers + 1];
        Tensor[] logP = new Tensor[layers + 1];
        Moments[] prior = new Moments[layers + 1];
        Tensor eps0 = t.noise(eps, rows, c.noiseDim(), h.noiseOffset(top), h.dim(top));
        z[top] = Densities.sample(t, e.mean(), e.logvar(), eps0);
        logQ[top] = Densities.logGaussianFromNoise(t, eps0, e.logvar());
        Tensor features = null;
        for (int k : HierarchyNetworks.inferenceOrder(h)) {
            if (k < layers && top == layers) {
                prior[k] = Layers.gaussian(t, p, HierarchicalVae.pLayer(k), concat(t, z, h.parents(k)), hidden, c.activation(),
                        gated);
            }
            List<Tensor> in = new java.util.ArrayList<>();
            if (nets.qReadsX(k)) {
                features = features == null ? t.repeat(e.features(), samples) : features;
                in.add(features);
            }
            if (h.inference() == HierarchyInference.BIDIRECTIONAL) {
                in.add(prior[k].features());
            } else {
                for (int j : nets.qParents(k)) {
                    in.add(z[j]);
                }
            }
            Tensor qIn = in.get(0);
            for (int i = 1; i < in.size(); i++) {
                qIn = t.concat(qIn, in.get(i));
            }
            Moments q = Layers.gaussian(t, p, HierarchicalVae.qLayer(k), qIn, nets.qHidden(), c.activation(), gated);
            Tensor noise = t.noise(eps, rows, c.noiseDim(), h.noiseOffset(k), h.dim(k));
            z[k] = Densities.sample(t, q.mean(), q.logvar(), noise);
            logQ[k] = Densities.logGaussianFromNoise(t, noise, q.logvar());
        }
        for (int k = layers - 1; k >= 1; k--) {
            if (prior[k] == null) {
                prior[k] = Layers.gaussian(t, p, HierarchicalVae.pLayer(k), concat(t, z, h.parents(k)), hidden, c.activation(),
                        gated);
            }
            logP[k] = Densities.logNormal(t, z[k], prior[k].mean(), prior[k].logvar());
        }
        logP[layers] = logPrior(t, p, z[layers]);
        Tensor logPx = logLikelihood(t, p, x, decode(t, p, concat(t, z, h.parents(0)), x));
        Tensor sumP = logP[layers];
        Tensor sumQ = logQ[layers];
        for (int k = layers - 1; k >= 1; k--) {
            sumP = t.add(sumP, logP[k]);
            sumQ = t.add(sumQ, logQ[k]);
        }
        List<Tensor> layerKl = new java.util.ArrayList<>();
        for (int k = 1; k <= layers; k++) {
            layerKl.add(t.sub(logQ[k], logP[k]));
        }
        return new Outputs(logPx, sumP, sumQ, null, e.mean(), e.logvar(), layerKl, z[layers]);
    }

    /** The rows of {@code layers} side by side. */
    private static Tensor concat(Tape t, Tensor[] z, List<Integer> layers) {
        Tensor out = z[layers.get(0)];
        for (int i = 1; i < layers.size(); i++) {
            out = t.concat(out, z[layers.get(i)]);
        }
        return out;
    }

    private HierarchyNetworks networks() {
        if (hierarchyNetworks == null) {
            hierarchyNetworks = new HierarchyNetworks(c.structure().hierarchy(), featureWidth(), c.activation(), gated);
        }
        return hierarchyNetworks;
    }

    /**
     * q(z|x): the encoder stack {@code enc_i} (or the convolution stages {@code enc_conv_i} and {@code enc_dense}) and
     * the heads {@code enc_mu}, {@code enc_logvar}. {@code x} may carry a condition in its last columns.
     */
    private Moments encode(Tape t, CpuParameters p, Tensor x) {
        Tensor h = c.network().architecture() == Architecture.CONV ? ConvNets.encode(t, p, c, x)
                : Layers.stack(t, p, VaeNames::encoderLayer, x, c.encoderHidden(), c.activation(), gated);
        return new Moments(Layers.dense(t, p, h, VaeNames.ENC_MU), Layers.dense(t, p, h, VaeNames.ENC_LOGVAR), h);
    }

    /**
     * The decoder's output rows (logits or likelihood parameters) for latent rows z; with a PixelCNN the observed
     * x [B, D] conditions each pixel on those before it.
     */
    private Tensor decode(Tape t, CpuParameters p, Tensor z, Tensor x) {
        int out = likelihoodWidth();
        Tensor y;
        if (c.network().architecture() == Architecture.CONV) {
            y = ConvNets.decode(t, p, c, z, out);
        } else {
            Tensor h = Layers.stack(t, p, VaeNames::decoderLayer, z, c.decoderHidden(), c.activation(), gated);
            y = Layers.dense(t, p, h, VaeNames.DEC_OUT);
        }
        return c.network().pixelCnnLayers() > 0 ? ConvNets.pixelCnn(t, p, c, y, x, out) : y;
    }

    /** The likelihood's outputs per example. */
    private int likelihoodWidth() {
        int d = c.inputDim();
        return switch (c.likelihood()) {
            case BERNOULLI, GAUSSIAN -> d;
            case LOGISTIC -> 2 * d;
            case LOGISTIC_MIXTURE -> d / c.image().channels() * c.observation().mixtures()
                    * (1 + 2 * c.image().channels() + (c.image().channels() == 3 ? 3 : 0));
        };
    }

    private Tensor logLikelihood(Tape t, CpuParameters p, Tensor x, Tensor out) {
        return logLikelihood(t, p, x, out, null);
    }

    private Tensor logLikelihood(Tape t, CpuParameters p, Tensor x, Tensor out, float[] weights) {
        switch (c.likelihood()) {
            case BERNOULLI:
                return Densities.bernoulli(t, x, out, weights);
            case LOGISTIC:
                return Logistics.logistic(t, x, out, c.image().channels());
            case LOGISTIC_MIXTURE:
                return Logistics.mixture(t, x, out, c.image().channels(), c.observation().mixtures());
            default:
                break;
        }
        boolean learned = c.variance() == org.vaespark.core.model.GaussianVariance.LEARNED;
        return Densities.gaussian(t, x, out, learned ? t.param(p, VaeNames.DEC_LOGVAR) : null, c.fixedVariance(), weights);
    }

    /** log p(z) of the configured prior (of z2 in an HVAE), per row of z. */
    private Tensor logPrior(Tape t, CpuParameters p, Tensor z) {
        return switch (c.prior().kind()) {
            case STANDARD -> Densities.logStandardNormal(t, z);
            case MOG -> Mixture.logDensity(t, z, t.param(p, MixtureOfGaussiansPrior.MEANS),
                    t.param(p, MixtureOfGaussiansPrior.LOGVARS));
            case VAMP -> {
                Moments q = vampComponents(t, p);
                yield Mixture.logDensity(t, z, q.mean(), q.logvar());
            }
            case FLOW -> CpuFlows.flowPriorLogDensity(t, p, z, flowPriorSteps());
        };
    }

    /** The VampPrior's components: q(z|u_k) of the pseudo-inputs u_k (through hardtanh where configured). */
    private Moments vampComponents(Tape t, CpuParameters p) {
        if (fixedParameters && !t.parameterGradients() && vampMean != null) {
            int k = c.prior().components();
            return new Moments(t.input(vampMean, k, vampMean.length / k), t.input(vampLogvar, k, vampLogvar.length / k), null);
        }
        Tensor u = t.param(p, VampPrior.PSEUDO_INPUTS);
        Moments q = encode(t, p, c.prior().hardTanh() ? t.clamp01(u) : u);
        if (fixedParameters && !t.parameterGradients()) {
            vampMean = q.mean().values().clone();
            vampLogvar = q.logvar().values().clone();
        }
        return q;
    }
}
