package org.vaespark.core.eval;

import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.Likelihood;
import org.vaespark.core.model.VaeConfig;

/**
 * Bits per dimension from a log-likelihood estimate in nats (docs/math.md, Evaluation protocol).
 * A discrete likelihood over the data as encoded gives bpd = −log p̂(x) / (D ln 2); a continuous
 * density on uniformly dequantized [0, 1] data (Theis et al. 2016) gives
 * bpd = (−log p̂(x) + D ln 256) / (D ln 2). Which one applies follows from the likelihood and
 * the pixel encoding ({@link org.vaespark.core.train.PixelEncoding}); where neither does, the
 * figure is absent and {@link #reason()} says why.
 *
 * @param basis  which formula, or null when bits/dim is not defined for this model and encoding
 * @param reason how the figure was obtained (always set): the formula, or why it is absent
 */
public record BitsPerDim(Basis basis, String reason) {

    /** The two formulas of the protocol. */
    public enum Basis {
        /** A probability mass over the encoded pixels: −log p̂ / (D ln 2). */
        DISCRETE,
        /** A density on dequantized pixels: (−log p̂ + D ln 256) / (D ln 2). */
        CONTINUOUS_DEQUANTIZED
    }

    private static final double LN2 = Math.log(2);
    private static final double LN256 = Math.log(256);

    /** What bits/dim means for a model evaluated on data encoded by {@code encoding}. */
    public static BitsPerDim of(VaeConfig model, Binarization encoding) {
        Likelihood l = model.likelihood();
        if (l.discrete()) {
            if (encoding == Binarization.NONE) {
                return new BitsPerDim(Basis.DISCRETE, "discrete likelihood over the 256 levels of 8-bit data: −log p̂(x) / (D ln 2)");
            }
            return new BitsPerDim(null, "a discrete 8-bit likelihood needs data.binarization=none, not " + name(encoding));
        }
        if (l == Likelihood.BERNOULLI) {
            String data = encoding == Binarization.STATIC ? "statically binarized pixels"
                    : "one seeded dynamic binarization draw of the 8-bit pixels";
            return new BitsPerDim(Basis.DISCRETE, "discrete likelihood of binary data (" + data + "): −log p̂(x) / (D ln 2); "
                    + "not comparable with 8-bit bits/dim");
        }
        if (encoding == Binarization.DEQUANTIZE) {
            return new BitsPerDim(Basis.CONTINUOUS_DEQUANTIZED,
                    "continuous density on uniformly dequantized data: (−log p̂(x) + D ln 256) / (D ln 2)");
        }
        return new BitsPerDim(null, "a " + name(l) + " density on pixels that were not dequantized is not a likelihood of the "
                + "8-bit data; train and evaluate with data.binarization=dequantize for bits/dim");
    }

    /** True when bits/dim is defined. */
    public boolean defined() {
        return basis != null;
    }

    /** Bits per dimension of a log-likelihood (nats) of a D-dimensional example. */
    public double convert(double logLikelihood, int dimension) {
        if (basis == null) {
            throw new IllegalStateException("bits/dim is not defined here: " + reason);
        }
        double nll = -logLikelihood + (basis == Basis.CONTINUOUS_DEQUANTIZED ? dimension * LN256 : 0);
        return nll / (dimension * LN2);
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase();
    }
}
