package org.vaespark.core.model;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;
import org.vaespark.core.config.Keys;

/**
 * Settings of the hierarchical, conditional and semi-supervised structures:
 * {@code model.hierarchy.*}, {@code model.labels.*} and {@code model.multimodal.*}.
 *
 * @param topLatentDim     HVAE: dimension of z2 (the prior is on z2)
 * @param hierarchyHidden  HVAE: hidden widths of the networks of q(z1|x, z2) and p(z1|z2)
 * @param classes          CVAE / M2: number of label classes
 * @param classifierHidden M2: hidden widths of the classifier q(y|x)
 * @param classifierWeight M2: alpha, the weight of the classification term alpha * log q(y|x) on labelled examples
 * @param multimodal       MVAE: the modalities, their weights and the unpaired fraction
 */
public record StructureSpec(int topLatentDim, List<Integer> hierarchyHidden, int classes, List<Integer> classifierHidden,
                            double classifierWeight, MultimodalSpec multimodal) implements Serializable {

    public StructureSpec {
        hierarchyHidden = List.copyOf(hierarchyHidden);
        classifierHidden = List.copyOf(classifierHidden);
    }

    public static StructureSpec defaults() {
        return new StructureSpec(40, List.of(300, 300), 10, List.of(500), 0.1, MultimodalSpec.defaults());
    }

    public static StructureSpec from(Config c) {
        return new StructureSpec(Keys.positiveInt(c, "model.hierarchy.top-latent-dim"),
                Keys.positiveIntList(c, "model.hierarchy.hidden"), Keys.positiveInt(c, "model.labels.classes"),
                Keys.positiveIntList(c, "model.labels.classifier-hidden"),
                Keys.nonNegativeDouble(c, "model.labels.alpha"), MultimodalSpec.from(c));
    }
}
