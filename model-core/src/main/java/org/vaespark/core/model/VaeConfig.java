package org.vaespark.core.model;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;
import org.vaespark.core.config.Keys;

/**
 * Everything that defines a model's graph, read from the {@code model.*} keys; the image shape
 * comes from the dataset. The constructor checks the combination of settings ({@link ModelCheck},
 * on the settings alone: no component, no graph), so every invalid one fails here with the key to change.
 *
 * @param image       shape of one example (from the dataset's manifest)
 * @param kind        VAE, two-layer HVAE, CVAE or M2
 * @param network     encoder and decoder networks
 * @param latentDim   d, the dimension of z (of z1, the bottom layer, in an HVAE: the first of
 *                    {@code model.hierarchy.latent-dims} when that is set)
 * @param observation the likelihood p(x|z)
 * @param prior       p(z) (of z_K, the top layer, in an HVAE)
 * @param posterior   q(z|x): diagonal Gaussian or a flow on top of it
 * @param objective   training objective and its weights
 * @param structure   hierarchical / conditional / semi-supervised settings
 */
public record VaeConfig(ImageShape image, ModelKind kind, NetworkSpec network, int latentDim, LikelihoodSpec observation,
                        PriorSpec prior, PosteriorSpec posterior, ObjectiveSpec objective, StructureSpec structure)
        implements Serializable {

    public VaeConfig(ImageShape image, ModelKind kind, NetworkSpec network, int latentDim, LikelihoodSpec observation,
                     PriorSpec prior, PosteriorSpec posterior, ObjectiveSpec objective, StructureSpec structure) {
        if (latentDim <= 0) {
            throw org.vaespark.core.errors.Errors.badConfigValue("model.latent-dim", latentDim, "an integer > 0");
        }
        this.image = image;
        this.kind = kind;
        this.network = network;
        this.latentDim = latentDim;
        this.observation = observation;
        this.prior = prior;
        this.posterior = posterior;
        this.objective = objective;
        this.structure = structure;
        ModelCheck.check(this);
    }

    /** Reads {@code model.*}; the image shape comes from the dataset's manifest. */
    public static VaeConfig from(Config c, ImageShape image) {
        ModelKind kind = Keys.enumValue(c, "model.kind", ModelKind.class);
        StructureSpec structure = StructureSpec.from(c);
        int latentDim = kind == ModelKind.HVAE ? structure.hierarchy().dim(1) : Keys.positiveInt(c, "model.latent-dim");
        return new VaeConfig(image, kind, NetworkSpec.from(c), latentDim, LikelihoodSpec.from(c), PriorSpec.from(c),
                PosteriorSpec.from(c), ObjectiveSpec.from(c), structure);
    }

    /** Reads {@code model.*} for flat examples of {@code inputDim} values (no spatial structure). */
    public static VaeConfig from(Config c, int inputDim) {
        return from(c, ImageShape.flat(inputDim));
    }

    /** The reference family: MLP VAE, N(0, I) prior, Gaussian posterior, ELBO with weight beta. */
    public static VaeConfig mlp(int inputDim, List<Integer> encoderHidden, List<Integer> decoderHidden, int latentDim,
                                Activation activation, Likelihood likelihood, GaussianVariance variance,
                                double fixedVariance, double beta) {
        return new VaeConfig(ImageShape.flat(inputDim), ModelKind.VAE, NetworkSpec.mlp(encoderHidden, decoderHidden, activation),
                latentDim, LikelihoodSpec.of(likelihood, variance, fixedVariance), PriorSpec.standard(),
                PosteriorSpec.gaussian(), ObjectiveSpec.elbo(beta), StructureSpec.defaults());
    }

    /**
     * Why this model has no decoder mean that is a function of z alone (the PixelCNN decoder is
     * autoregressive), or null when it has one.
     */
    public String decoderMeanUnavailable() {
        return ModelCheck.decoderMeanUnavailable(this);
    }

    /** D, values per example. */
    public int inputDim() {
        return image.dimension();
    }

    public List<Integer> encoderHidden() {
        return network.encoderHidden();
    }

    public List<Integer> decoderHidden() {
        return network.decoderHidden();
    }

    public Activation activation() {
        return network.activation();
    }

    public Likelihood likelihood() {
        return observation.kind();
    }

    public GaussianVariance variance() {
        return observation.variance();
    }

    public double fixedVariance() {
        return observation.fixedVariance();
    }

    public double beta() {
        return objective.beta();
    }

    /**
     * Width of the noise placeholder {@link VaeNames#EPS}: every stochastic layer's latents side by
     * side; with the MMD objective, {@link #priorDim()} more columns last, the N(0, I) prior samples
     * of the MMD term.
     */
    public int noiseDim() {
        int layers = kind == ModelKind.HVAE ? structure.hierarchy().totalDim() : latentDim;
        return objective.kind() == ObjectiveKind.MMD ? layers + priorDim() : layers;
    }

    /** Dimension of the latent the prior p(z) is over (z_K, the top layer, in an HVAE). */
    public int priorDim() {
        return kind == ModelKind.HVAE ? structure.topLatentDim() : latentDim;
    }

    /**
     * True when KL(q(z|x) || p(z)) has the closed form of docs/math.md (Training objectives): a one-layer model with a
     * diagonal Gaussian posterior and the N(0, I) prior. Every other model uses the Monte-Carlo KL.
     */
    public boolean analyticKl() {
        return (kind == ModelKind.VAE || kind == ModelKind.CVAE) && prior.kind() == PriorKind.STANDARD
                && posterior.kind() == PosteriorKind.GAUSSIAN;
    }

    /**
     * A short human-readable description for logs and the leaderboard, e.g.
     * "HVAE gated 784-300-300-40/40 bernoulli, vamp prior K=500, iaf posterior L=4, iwae".
     */
    public String describe() {
        StringBuilder s = new StringBuilder(kind.name()).append(' ').append(network.architecture().name().toLowerCase())
                .append(' ').append(inputDim());
        if (network.architecture() == org.vaespark.core.model.Architecture.CONV) {
            s.append("-conv").append(network.convChannels()).append('-').append(network.convDense());
        } else {
            encoderHidden().forEach(h -> s.append('-').append(h));
        }
        s.append('-').append(kind == ModelKind.HVAE ? structure.hierarchy().describe() : String.valueOf(latentDim));
        s.append(' ').append(network.activation().name().toLowerCase()).append(' ')
                .append(likelihood().name().toLowerCase().replace('_', '-'));
        if (network.pixelCnnLayers() > 0) {
            s.append(", pixelcnn x").append(network.pixelCnnLayers());
        }
        if (prior.kind() != PriorKind.STANDARD) {
            s.append(", ").append(prior.kind().name().toLowerCase()).append(" prior");
            if (prior.kind() == PriorKind.MOG || prior.kind() == PriorKind.VAMP) {
                s.append(" K=").append(prior.components());
            }
        }
        if (posterior.kind() != PosteriorKind.GAUSSIAN) {
            s.append(", ").append(posterior.kind().name().toLowerCase()).append(" posterior L=").append(posterior.length());
        }
        if (objective.kind() != org.vaespark.core.model.ObjectiveKind.ELBO) {
            s.append(", ").append(objective.kind().name().toLowerCase());
        }
        if (objective.beta() != 1.0) {
            s.append(", beta=").append(objective.beta());
        }
        if (objective.warmupEpochs() > 0) {
            s.append(", warm-up ").append(objective.warmupEpochs()).append(" epochs");
        }
        if (objective.freeBits() > 0) {
            s.append(", free bits ").append(objective.freeBits());
        }
        return s.toString();
    }
}
