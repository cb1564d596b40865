package org.vaespark.core.model;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;
import org.vaespark.core.config.Keys;

/**
 * Settings of the hierarchical, conditional and semi-supervised structures:
 * {@code model.hierarchy.*}, {@code model.labels.*} and {@code model.multimodal.*}.
 *
 * @param hierarchy        HVAE: the stochastic layers, their networks' widths and the factorisation of q
 * @param classes          CVAE / M2: number of label classes
 * @param classifierHidden M2: hidden widths of the classifier q(y|x)
 * @param classifierWeight M2: alpha, the weight of the classification term alpha * log q(y|x) on labelled examples
 * @param multimodal       MVAE: the modalities, their weights and the unpaired fraction
 */
public record StructureSpec(HierarchySpec hierarchy, int classes, List<Integer> classifierHidden,
                            double classifierWeight, MultimodalSpec multimodal) implements Serializable {

    public StructureSpec {
        classifierHidden = List.copyOf(classifierHidden);
    }

    public static StructureSpec defaults() {
        return new StructureSpec(HierarchySpec.twoLayers(40, 40, List.of(300, 300)), 10, List.of(500), 0.1,
                MultimodalSpec.defaults());
    }

    public static StructureSpec from(Config c) {
        return new StructureSpec(HierarchySpec.from(c), Keys.positiveInt(c, "model.labels.classes"),
                Keys.positiveIntList(c, "model.labels.classifier-hidden"),
                Keys.nonNegativeDouble(c, "model.labels.alpha"), MultimodalSpec.from(c));
    }

    /** HVAE: d_K, the size of the top layer, the one the prior is on (z2 of the two-layer model). */
    public int topLatentDim() {
        return hierarchy.topDim();
    }

    /** HVAE: hidden widths of the networks between stochastic layers. */
    public List<Integer> hierarchyHidden() {
        return hierarchy.hidden();
    }
}
