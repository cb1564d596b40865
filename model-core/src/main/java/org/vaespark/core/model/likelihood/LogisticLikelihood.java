package org.vaespark.core.model.likelihood;

import org.nd4j.autodiff.samediff.SDVariable;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.graph.Graph;

/**
 * Discretized logistic over the 256 levels of every value (Kingma et al. 2016; the "logistic_256"
 * of Tomczak &amp; Welling 2018), bin masses from {@link LogisticBins}. A discrete likelihood: no
 * dequantization term. Decoder outputs, 2C per pixel, pixel-major (row-major pixels, as a
 * channels-last convolution emits them): entry (r W + c) 2C + ch is the location of channel ch
 * in [-1, 1] scale, entry (r W + c) 2C + C + ch its log-scale (clamped below at -7).
 */
public final class LogisticLikelihood implements ObservationModel {
    private final int pixels;
    private final int channels;

    public LogisticLikelihood(ImageShape image) {
        this.pixels = image.height() * image.width();
        this.channels = image.channels();
    }

    @Override
    public int outputWidth() {
        return 2 * pixels * channels;
    }

    @Override
    public SDVariable logProb(Graph g, SDVariable x, SDVariable out) {
        SDVariable params = LogisticBins.reshapeSamples(g, out, pixels, 2L * channels);     // [S, B, P, 2C]
        SDVariable mean = LogisticBins.slice4(g, params, 0, channels);
        SDVariable logScale = LogisticBins.clampLogScale(g, LogisticBins.slice4(g, params, channels, channels));
        SDVariable x3 = g.sd().reshape(x, -1, pixels, channels);                       // [B, P, C]
        SDVariable logMass = LogisticBins.logMass(g, LogisticBins.rescale(x3), mean, logScale,
                LogisticBins.masks(g, x3));                                            // [S, B, P, C]
        SDVariable perPixel = g.sumLast(logMass, 3, channels);
        return g.sumLast(perPixel, 2, pixels);
    }

    /**
     * The location clipped to [-1, 1], mapped back to [0, 1]: the mean of the logistic, which is
     * symmetric about its location; discretization moves it only through the edge bins' mass.
     */
    @Override
    public SDVariable mean(Graph g, SDVariable out) {
        SDVariable params = g.sd().reshape(out, -1, pixels, 2L * channels);                // [N, P, 2C]
        SDVariable location = g.sd().slice(params, new int[]{0, 0, 0}, -1, -1, channels);   // [N, P, C]
        return g.sd().reshape(LogisticBins.toUnit(g, location), -1, (long) pixels * channels);
    }
}
