package org.vaespark.core.model.likelihood;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.graph.Graph;

/**
 * The probability mass of one 8-bit level under a logistic, the building block of the discretized
 * logistic likelihoods (Kingma et al. 2016; Salimans et al. 2017, PixelCNN++). Inputs x in [0, 1]
 * (v / 255, PixelEncoding) are rescaled here to x' = 2x - 1 in [-1, 1]; level v owns the bin
 * [x' - 1/255, x' + 1/255], and the edge bins extend to -infinity (v = 0) and +infinity (v = 255),
 * so the 256 masses sum to 1 (docs/math.md, Likelihoods).
 *
 * <p>With a = (x' - mu + 1/255) / s and b = (x' - mu - 1/255) / s, the interior mass is
 * sigma(a) - sigma(b) = sigma(a) sigma(-b) (1 - e^{-(a - b)}), so
 * log P = -softplus(-a) - softplus(b) + log(-expm1(-delta)) with delta = a - b = (2/255) / s.
 * Every term is finite for every float input: no fallback to the mid-bin density is needed (PixelCNN++
 * needs one because it subtracts two sigmoids). The edge bins keep one of the two softplus terms:
 * log sigma(a) for v = 0, log(1 - sigma(b)) for v = 255; masks computed from x pick the case.
 */
public final class LogisticBins {
    /** Half the bin width in the [-1, 1] scale. */
    public static final double HALF_BIN = 1.0 / 255;
    /** Log-scales are clamped below at this value, as in PixelCNN++. */
    public static final double MIN_LOG_SCALE = -7;
    private static final double LOW_EDGE = 0.5 / 255;
    private static final double HIGH_EDGE = 254.5 / 255;

    private LogisticBins() {
    }

    /** x' = 2x - 1 for x = v / 255. */
    public static SDVariable rescale(SDVariable x) {
        return x.mul(2.0).sub(1.0);
    }

    /**
     * The masks of the three cases, from x = v / 255 (no gradient flows through them): level 0 is
     * x &lt;= 0.5/255, level 255 is x &gt;= 254.5/255.
     *
     * @param notHighest 1 unless level 255 (the upper CDF term applies)
     * @param notLowest  1 unless level 0 (the lower survival term applies)
     * @param interior   1 for levels 1..254 (the bin-width term applies)
     */
    public record Masks(SDVariable notHighest, SDVariable notLowest, SDVariable interior) {
    }

    public static Masks masks(Graph g, SDVariable x) {
        SDVariable lowest = x.lte(LOW_EDGE).castTo(g.dtype());
        SDVariable notHighest = x.lt(HIGH_EDGE).castTo(g.dtype());
        return new Masks(notHighest, lowest.rsub(1.0), notHighest.sub(lowest));
    }

    /** max(logScale, {@link #MIN_LOG_SCALE}) with gradient 0 below the clamp. */
    public static SDVariable clampLogScale(Graph g, SDVariable logScale) {
        return g.sd().nn.relu(logScale.sub(MIN_LOG_SCALE), 0).add(MIN_LOG_SCALE);
    }

    /**
     * log P(level | mean, exp(logScale)) elementwise (broadcasting):
     * notHighest (a - softplus(a)) - notLowest softplus(b) + interior log(-expm1(-(a - b))),
     * using log sigma(a) = a - softplus(a).
     *
     * @param xs       observed values in [-1, 1] ({@link #rescale})
     * @param mean     logistic location in [-1, 1] scale
     * @param logScale clamped log-scale ({@link #clampLogScale})
     * @param m        the case masks of the unscaled x ({@link #masks})
     */
    public static SDVariable logMass(Graph g, SDVariable xs, SDVariable mean, SDVariable logScale, Masks m) {
        SameDiff sd = g.sd();
        SDVariable invScale = sd.math.exp(logScale.neg());
        SDVariable t = xs.sub(mean).mul(invScale);
        SDVariable half = invScale.mul(HALF_BIN);
        SDVariable a = t.add(half);
        SDVariable b = t.sub(half);
        SDVariable logCdfUpper = a.sub(g.softplus(a));                          // log sigma(a)
        SDVariable logWidth = sd.math.log(sd.math.expm1(half.mul(-2.0)).neg());  // log(1 - e^{-(a - b)})
        return logCdfUpper.mul(m.notHighest())
                .sub(g.softplus(b).mul(m.notLowest()))                           // log(1 - sigma(b)) = -softplus(b)
                .add(logWidth.mul(m.interior()));
    }

    /** [S, B, W] to [S, B, tail...], S and B taken from the array itself. */
    public static SDVariable reshapeSamples(Graph g, SDVariable out, long... tail) {
        SameDiff sd = g.sd();
        SDVariable lead = sd.slice(sd.shape(out), new int[]{0}, 2);
        SDVariable rest = sd.constant(Nd4j.createFromArray(tail).castTo(lead.dataType()));
        return sd.reshape(out, sd.concat(0, lead, rest));
    }

    /** Entries {@code from .. from + width - 1} of the last axis of a rank-4 array. */
    public static SDVariable slice4(Graph g, SDVariable v, int from, int width) {
        return g.sd().slice(v, new int[]{0, 0, 0, from}, -1, -1, -1, width);
    }


    /** A value in the [-1, 1] scale clipped to that range and mapped to [0, 1]: (clip(v, -1, 1) + 1) / 2. */
    public static SDVariable toUnit(Graph g, SDVariable v) {
        return g.sd().math.clipByValue(v, -1.0, 1.0).add(1.0).mul(0.5);
    }
}
