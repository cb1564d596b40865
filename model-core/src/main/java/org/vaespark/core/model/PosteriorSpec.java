package org.vaespark.core.model;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;
import org.vaespark.core.config.Keys;

/**
 * The posterior family: {@code model.posterior.*}.
 *
 * @param kind      Gaussian, planar flow or IAF
 * @param length    flow steps L (planar or IAF)
 * @param madeHidden hidden widths of each IAF step's MADE
 * @param contextDim width of the context vector h the encoder passes to every IAF step
 */
public record PosteriorSpec(PosteriorKind kind, int length, List<Integer> madeHidden, int contextDim)
        implements Serializable {

    public PosteriorSpec {
        madeHidden = List.copyOf(madeHidden);
    }

    public static PosteriorSpec gaussian() {
        return new PosteriorSpec(PosteriorKind.GAUSSIAN, 4, List.of(320), 100);
    }

    public static PosteriorSpec from(Config c) {
        return new PosteriorSpec(Keys.enumValue(c, "model.posterior.kind", PosteriorKind.class),
                Keys.positiveInt(c, "model.posterior.length"), Keys.positiveIntList(c, "model.posterior.iaf.hidden"),
                Keys.positiveInt(c, "model.posterior.iaf.context"));
    }
}
