package org.vaespark.core.model;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.Serializable;
import java.util.List;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;

/**
 * Settings of the multimodal VAE with a product-of-experts posterior (Wu &amp; Goodman 2018), {@code model.multimodal.*}.
 *
 * @param modalities       which two modalities an example holds
 * @param weights          lambda_m per modality (in the order of {@link Modalities}): the weight of log p(x_m|z) in
 *                         every ELBO term that reconstructs modality m (the paper's lambda; 50 for MNIST's label)
 * @param unpairedFraction fraction of training examples that keep only one modality (the unpaired setting): a pure
 *                         function of the training seed and the example id picks them and which modality they keep
 * @param labelHidden      image-label: hidden widths of the label's expert q(z|y) and of its decoder p(y|z)
 */
public record MultimodalSpec(Modalities modalities, List<Double> weights, double unpairedFraction, List<Integer> labelHidden)
        implements Serializable {

    public MultimodalSpec {
        weights = List.copyOf(weights);
        labelHidden = List.copyOf(labelHidden);
        if (weights.size() != 2 || !(weights.get(0) > 0) || !(weights.get(1) > 0) || weights.stream().anyMatch(w -> w.isInfinite())) {
            throw Errors.badConfigValue("model.multimodal.weights", weights,
                    "two finite numbers > 0, the weights lambda of " + String.join(" and ", modalities.names())
                            + " in that order, e.g. [1.0, 50.0]");
        }
        if (!(unpairedFraction >= 0 && unpairedFraction <= 1)) {
            throw Errors.badConfigValue("model.multimodal.unpaired-fraction", unpairedFraction,
                    "a number in [0, 1]: the fraction of training examples that keep one modality only");
        }
    }

    public static MultimodalSpec defaults() {
        return new MultimodalSpec(Modalities.IMAGE_LABEL, List.of(1.0, 1.0), 0.0, List.of(512));
    }

    public static MultimodalSpec from(Config c) {
        Modalities modalities = Keys.enumValue(c, "model.multimodal.modalities", Modalities.class);
        List<Double> weights;
        try {
            weights = c.getDoubleList("model.multimodal.weights");
        } catch (ConfigException.WrongType e) {
            throw Errors.badConfigValue("model.multimodal.weights", c.getValue("model.multimodal.weights").unwrapped(),
                    "a list of two numbers > 0, e.g. [1.0, 50.0]");
        }
        double fraction;
        try {
            fraction = c.getDouble("model.multimodal.unpaired-fraction");
        } catch (ConfigException.WrongType e) {
            throw Errors.badConfigValue("model.multimodal.unpaired-fraction",
                    c.getValue("model.multimodal.unpaired-fraction").unwrapped(), "a number in [0, 1]");
        }
        return new MultimodalSpec(modalities, weights, fraction, Keys.positiveIntList(c, "model.multimodal.label-hidden"));
    }
}
