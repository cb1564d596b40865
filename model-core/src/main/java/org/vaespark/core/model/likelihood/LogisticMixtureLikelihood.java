package org.vaespark.core.model.likelihood;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.graph.Graph;

/**
 * Discretized mixture of logistics per pixel (Salimans et al. 2017, PixelCNN++): K components
 * shared by the pixel's channels, bin masses from {@link LogisticBins}. For RGB the channels are
 * coupled within a component: mu_G = m_G + tanh(alpha) x'_R, mu_B = m_B + tanh(beta) x'_R + tanh(gamma) x'_G,
 * with x' the observed values in [-1, 1], so p(r, g, b) = sum_k pi_k p_k(r) p_k(g | r) p_k(b | r, g).
 *
 * <p>Decoder outputs, P = K (1 + 2C) (+ 3K for RGB) per pixel (the PixelCNN++ count: 3K grey, 10K RGB),
 * pixel-major: pixel (r W + c) owns entries (r W + c) P + j with j in
 * [0, K) mixture logits, [K + ch K + k] location of channel ch, [K + C K + ch K + k] its log-scale
 * (clamped below at -7) and, for RGB, [K + 2 C K + i K + k] the coupling coefficients alpha, beta, gamma
 * (i = 0, 1, 2) before tanh. Every block is K wide, so the graph views a pixel's outputs as a
 * [blocks, K] matrix and computes all channels and components at once (few ops per step).
 * Mixture weights are a log-softmax over the K logits.
 */
public final class LogisticMixtureLikelihood implements ObservationModel {
    private final int pixels;
    private final int channels;
    private final int k;

    public LogisticMixtureLikelihood(ImageShape image, int mixtures) {
        this.pixels = image.height() * image.width();
        this.channels = image.channels();
        this.k = mixtures;
    }

    /** Blocks of K outputs per pixel: logits, C locations, C log-scales, and 3 coefficients for RGB. */
    private int blocks() {
        return 1 + 2 * channels + (channels == 3 ? 3 : 0);
    }

    /** Decoder outputs per pixel. */
    public int perPixel() {
        return k * blocks();
    }

    @Override
    public int outputWidth() {
        return pixels * perPixel();
    }

    @Override
    public SDVariable logProb(Graph g, SDVariable x, SDVariable out) {
        SameDiff sd = g.sd();
        SDVariable params = LogisticBins.reshapeSamples(g, out, pixels, blocks(), k);      // [S, B, P, blocks, K]
        SDVariable x4 = sd.reshape(x, -1, pixels, channels, 1);                             // [B, P, C, 1]
        SDVariable xs = LogisticBins.rescale(x4);
        SDVariable mean = block(sd, params, 1, channels);                                   // [S, B, P, C, K]
        SDVariable logScale = LogisticBins.clampLogScale(g, block(sd, params, 1 + channels, channels));
        if (channels == 3) {
            mean = mean.add(coupling(sd, params, xs));
        }
        SDVariable logMass = LogisticBins.logMass(g, xs, mean, logScale, LogisticBins.masks(g, x4));
        SDVariable joint = channels == 1 ? logMass : logMass.sum(true, 3);                 // [S, B, P, 1, K]
        SDVariable perPixel = k == 1 ? joint : logSumExp(joint.add(logSoftmax(block(sd, params, 0, 1))));
        return g.sumLast(sd.squeeze(sd.squeeze(perPixel, 4), 3), 2, pixels);
    }

    /**
     * The mixture's mean per value, sum_k pi_k mu_k with each component's location clipped to
     * [-1, 1], mapped to [0, 1]. For RGB the coupling uses the component's own (clipped) means in
     * place of the observed channels: mu_G = m_G + tanh(alpha) mu_R, mu_B = m_B + tanh(beta) mu_R
     * + tanh(gamma) mu_G, the mean of the component's channels given one another at their means.
     */
    @Override
    public SDVariable mean(Graph g, SDVariable out) {
        SameDiff sd = g.sd();
        SDVariable params = sd.reshape(out, -1, pixels, blocks(), k);                     // [N, P, blocks, K]
        SDVariable weights = k == 1 ? null : sd.nn.softmax(slice(sd, params, 0, 1), 3);    // [N, P, 1, K]
        SDVariable means;
        if (channels == 1) {
            means = clip(sd, slice(sd, params, 1, 1));
        } else {
            SDVariable coef = sd.math.tanh(slice(sd, params, 1 + 2 * channels, 3));         // alpha, beta, gamma
            SDVariable red = clip(sd, slice(sd, params, 1, 1));
            SDVariable green = clip(sd, slice(sd, params, 2, 1).add(slice(sd, coef, 0, 1).mul(red)));
            SDVariable blue = clip(sd, slice(sd, params, 3, 1).add(slice(sd, coef, 1, 1).mul(red))
                    .add(slice(sd, coef, 2, 1).mul(green)));
            means = sd.concat(2, red, green, blue);                                         // [N, P, C, K]
        }
        SDVariable mixed = weights == null ? sd.squeeze(means, 3) : means.mul(weights).sum(3);   // [N, P, C]
        return sd.reshape(mixed.add(1.0).mul(0.5), -1, (long) pixels * channels);
    }

    /** Blocks {@code from .. from + n - 1} of [N, P, blocks, K]: [N, P, n, K]. */
    private SDVariable slice(SameDiff sd, SDVariable params, int from, int n) {
        return sd.slice(params, new int[]{0, 0, from, 0}, -1, -1, n, k);
    }

    private static SDVariable clip(SameDiff sd, SDVariable v) {
        return sd.math.clipByValue(v, -1.0, 1.0);
    }

    /** Blocks {@code from .. from + n - 1} of the pixel's [blocks, K] outputs: [S, B, P, n, K]. */
    private SDVariable block(SameDiff sd, SDVariable params, int from, int n) {
        return sd.slice(params, new int[]{0, 0, 0, from, 0}, -1, -1, -1, n, k);
    }

    /** [0, tanh(alpha) x'_R, tanh(beta) x'_R + tanh(gamma) x'_G], [S, B, P, 3, K]. */
    private SDVariable coupling(SameDiff sd, SDVariable params, SDVariable xs) {
        SDVariable red = sd.slice(xs, new int[]{0, 0, 0, 0}, -1, -1, 1, 1);
        SDVariable green = sd.slice(xs, new int[]{0, 0, 1, 0}, -1, -1, 1, 1);
        SDVariable terms = sd.math.tanh(block(sd, params, 1 + 2 * channels, 3))
                .mul(sd.concat(2, red, red, green));                                        // [S, B, P, 3, K]
        SDVariable onRed = sd.slice(terms, new int[]{0, 0, 0, 0, 0}, -1, -1, -1, 2, k);     // [alpha xR, beta xR]
        SDVariable onGreen = sd.slice(terms, new int[]{0, 0, 0, 2, 0}, -1, -1, -1, 1, k);   // [gamma xG]
        SDVariable blue = sd.slice(onRed, new int[]{0, 0, 0, 1, 0}, -1, -1, -1, 1, k).add(onGreen);
        SDVariable greenShift = sd.slice(onRed, new int[]{0, 0, 0, 0, 0}, -1, -1, -1, 1, k);
        return sd.concat(3, sd.zerosLike(greenShift), greenShift, blue);
    }

    /** v - max - log sum exp(v - max) over the last axis (K &gt; 1). */
    private static SDVariable logSoftmax(SDVariable v) {
        SameDiff sd = v.getSameDiff();
        SDVariable shifted = v.sub(v.max(true, 4));
        return shifted.sub(sd.math.log(sd.math.exp(shifted).sum(true, 4)));
    }

    /** max + log sum exp(v - max) over the last axis (K &gt; 1), keeping it; the max's gradient cancels. */
    private static SDVariable logSumExp(SDVariable v) {
        SameDiff sd = v.getSameDiff();
        SDVariable m = v.max(true, 4);
        return sd.math.log(sd.math.exp(v.sub(m)).sum(true, 4)).add(m);
    }
}
