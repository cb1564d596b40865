package org.vaespark.core.model;

import java.util.List;
import org.vaespark.core.errors.Errors;

/**
 * The combinations of settings a {@link VaeConfig} cannot build a model from, checked on the
 * configuration alone (no component, no graph), in the order the components are assembled, so the
 * first setting to change is the one named. Also answers whether a model has a decoder mean.
 */
final class ModelCheck {
    private ModelCheck() {
    }

    /** Fails with a configuration error naming the key to change. */
    static void check(VaeConfig c) {
        objective(c);
        switch (c.kind()) {
            case HVAE -> {
                if (c.posterior().kind() != PosteriorKind.GAUSSIAN) {
                    throw Errors.badConfigValue("model.posterior.kind", c.posterior().kind().name().toLowerCase(),
                            "gaussian with model.kind = hvae (posterior flows are built for one-layer models only)");
                }
                hierarchy(c);
            }
            case M2 -> semiSupervised(c);
            case MVAE -> multimodal(c);
            default -> {
            }
        }
        if (c.network().architecture() == Architecture.CONV) {
            convStages(c.image(), c.network().convChannels());
        }
        if (c.prior().kind() == PriorKind.VAMP && (c.kind() == ModelKind.CVAE || c.kind() == ModelKind.M2)) {
            throw Errors.badConfigValue("model.prior.kind", "vamp",
                    "standard, mog or flow with model.kind=" + c.kind().name().toLowerCase()
                            + " (its encoder is conditional on the label; the VampPrior needs an unconditional q(z|x))");
        }
        if (c.likelihood() == Likelihood.LOGISTIC_MIXTURE && c.image().channels() != 1 && c.image().channels() != 3) {
            throw Errors.badConfigValue("model.likelihood", "logistic-mixture",
                    "logistic-mixture only for images with 1 or 3 channels (this dataset has " + c.image().channels()
                            + "); use logistic instead");
        }
    }

    /** The K-layer model: z1's size is the first layer size; the VampPrior needs an encoder of the top layer. */
    private static void hierarchy(VaeConfig c) {
        HierarchySpec h = c.structure().hierarchy();
        if (c.latentDim() != h.dim(1)) {
            throw Errors.badConfigValue("model.latent-dim", c.latentDim(), h.dim(1) + ", the first entry of "
                    + "model.hierarchy.latent-dims = " + h.latentDims() + " (z1's size), or leave it to latent-dims");
        }
        if (c.prior().kind() == PriorKind.VAMP && h.inference() == HierarchyInference.BOTTOM_UP) {
            throw Errors.badConfigValue("model.prior.kind", "vamp", "standard, mog or flow with model.hierarchy.inference = "
                    + "bottom-up (the VampPrior's components are q(z_K|u) of an encoder of the top layer, which bottom-up "
                    + "inference has not: it reaches z_K through z_1..z_K-1), or inference = top-down or bidirectional");
        }
    }

    /** Why this model has no decoder mean that is a function of z alone, or null when it has one. */
    static String decoderMeanUnavailable(VaeConfig c) {
        if (c.network().pixelCnnLayers() > 0) {
            return "the PixelCNN decoder's p(x|z) is autoregressive (p(x_i | x_<i, z)): its mean needs pixel-by-pixel "
                    + "sampling, which is not built";
        }
        return null;
    }

    /** Free bits: the groups divide the latent dimension and the KL splits by dimension; MMD needs N(0, I). */
    private static void objective(VaeConfig c) {
        ObjectiveSpec o = c.objective();
        if (o.freeBits() > 0) {
            int groups = o.freeBitsGroups();
            if (c.latentDim() % groups != 0) {
                throw Errors.badConfigValue("model.objective.free-bits-groups", groups,
                        "a divisor of model.latent-dim = " + c.latentDim());
            }
            if (groups > 1 && !c.analyticKl()) {
                throw Errors.badConfigValue("model.objective.free-bits-groups", groups,
                        "1 with this model: its KL (prior " + c.prior().kind().name().toLowerCase() + ", posterior "
                                + c.posterior().kind().name().toLowerCase() + ", kind " + c.kind().name().toLowerCase()
                                + ") has no closed form per dimension; groups > 1 need model.kind = vae or cvae, "
                                + "model.prior.kind = standard and model.posterior.kind = gaussian");
            }
        }
        if (o.kind() == ObjectiveKind.MMD && c.prior().kind() != PriorKind.STANDARD) {
            throw Errors.badConfigValue("model.prior.kind", c.prior().kind().name().toLowerCase(),
                    "standard with model.objective.kind = mmd (its prior samples are N(0, I) noise), or another objective");
        }
    }

    /** M2 (Kingma et al. 2014): labels, the N(0, I) prior, a Gaussian posterior and its own bound. */
    private static void semiSupervised(VaeConfig c) {
        int classes = c.structure().classes();
        if (classes < 2) {
            throw Errors.badConfigValue("model.labels.classes", classes, "an integer >= 2 with model.kind=m2");
        }
        if (c.prior().kind() != PriorKind.STANDARD) {
            throw Errors.badConfigValue("model.prior.kind", c.prior().kind().name().toLowerCase(), "standard with model.kind=m2");
        }
        if (c.posterior().kind() != PosteriorKind.GAUSSIAN) {
            throw Errors.badConfigValue("model.posterior.kind", c.posterior().kind().name().toLowerCase(),
                    "gaussian with model.kind=m2");
        }
        if (c.objective().kind() != ObjectiveKind.ELBO || c.objective().freeBits() > 0) {
            throw Errors.badConfigValue("model.objective.kind", c.objective().kind().name().toLowerCase(),
                    "elbo without free bits with model.kind=m2 (its objective is the M2 bound of Kingma et al. 2014)");
        }
    }

    /**
     * MVAE (Wu &amp; Goodman 2018): the N(0, I) prior (the product's prior expert is Gaussian), Gaussian experts, the
     * subsampled ELBO, dense networks and a Bernoulli image; two halves need an even number of rows, a label at least two classes.
     */
    private static void multimodal(VaeConfig c) {
        String with = " with model.kind=mvae";
        if (c.prior().kind() != PriorKind.STANDARD) {
            throw Errors.badConfigValue("model.prior.kind", c.prior().kind().name().toLowerCase(),
                    "standard" + with + " (the prior expert of the product of experts is N(0, I))");
        }
        if (c.posterior().kind() != PosteriorKind.GAUSSIAN) {
            throw Errors.badConfigValue("model.posterior.kind", c.posterior().kind().name().toLowerCase(),
                    "gaussian" + with + " (a product of Gaussian experts is Gaussian; flows are not experts)");
        }
        if (c.objective().kind() != ObjectiveKind.ELBO || c.objective().freeBits() > 0) {
            throw Errors.badConfigValue("model.objective.kind", c.objective().kind().name().toLowerCase(),
                    "elbo without free bits" + with + " (its objective is the subsampled ELBO of Wu & Goodman 2018)");
        }
        if (c.network().architecture() == Architecture.CONV || c.network().pixelCnnLayers() > 0) {
            throw Errors.badConfigValue(c.network().pixelCnnLayers() > 0 ? "model.pixelcnn.layers" : "model.architecture",
                    c.network().pixelCnnLayers() > 0 ? c.network().pixelCnnLayers() : "conv",
                    "mlp or gated, without a PixelCNN" + with + " (the experts and decoders are dense networks)");
        }
        if (c.likelihood() != Likelihood.BERNOULLI) {
            throw Errors.badConfigValue("model.likelihood", c.likelihood().name().toLowerCase().replace('_', '-'),
                    "bernoulli" + with + " (binary images: data.binarization = static or dynamic)");
        }
        if (c.structure().multimodal().modalities() == Modalities.HALVES && (c.image().height() < 2 || c.image().height() % 2 != 0)) {
            throw Errors.badConfigValue("model.multimodal.modalities", "halves",
                    "image-label for this dataset: its images have " + c.image().height()
                            + " rows, and halves need an even number >= 2");
        }
        if (c.structure().multimodal().modalities() == Modalities.IMAGE_LABEL && c.structure().classes() < 2) {
            throw Errors.badConfigValue("model.labels.classes", c.structure().classes(),
                    "an integer >= 2 with model.multimodal.modalities=image-label");
        }
    }

    /** The convolutional networks halve (double) height and width per stage: both must divide by 2^stages. */
    private static void convStages(ImageShape image, List<Integer> stages) {
        int factor = 1 << stages.size();
        if (stages.isEmpty() || image.height() % factor != 0 || image.width() % factor != 0 || image.height() < factor
                || image.width() < factor) {
            throw Errors.badConfigValue("model.architecture", "conv",
                    "conv only for images whose height and width are divisible by 2^stages = " + factor + " (model.conv.channels = "
                            + stages + "; this dataset is " + image.height() + "x" + image.width() + "x" + image.channels()
                            + "): use fewer stages or architecture = mlp");
        }
    }
}
