package org.vaespark.core.model.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.eval.BitsPerDim;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.PixelEncoding;

/**
 * Bits/dim of the two non-binary protocols against numbers worked out by hand (docs/math.md, Evaluation protocol; Theis et
 * al. 2016): a Gaussian density on uniformly dequantized pixels, bpd = (-log p(x) + D ln 256) / (D ln 2),
 * and the 8-bit discretized logistic, bpd = -log P(x) / (D ln 2). The log-likelihoods come from the
 * model's own likelihood graphs; the expected values were computed outside the code base.
 */
class BitsPerDimTest {
    private static final double LN2 = Math.log(2);

    @Test
    void dequantizedGaussianAgainstHandComputedValues() {
        VaeConfig c = config("gaussian", "model.gaussian.variance=fixed", "model.gaussian.fixed-variance=0.01");
        BitsPerDim bpd = BitsPerDim.of(c, Binarization.DEQUANTIZE);
        assertEquals(BitsPerDim.Basis.CONTINUOUS_DEQUANTIZED, bpd.basis());

        // Levels v = (128, 64) dequantized with u = (0.5, 0): x = (v + u) / 256 = (0.501953125, 0.25); decoder means (0.5, 0.5).
        // log N(x; mu, 0.01) = -0.5 ln(2 pi 0.01) - (x - mu)^2 / 0.02 per pixel: 1.383709... - 0.000190... and 1.383709... - 3.125,
        // log p(x) = -0.357897615284535; bpd = (0.357897615 + 2 ln 256) / (2 ln 2) = 8.258168557358493.
        double logp = gaussianLogProb(c, new double[]{128.5 / 256, 64.0 / 256}, new double[]{0.5, 0.5});
        assertEquals(-0.35789761528453523, logp, 1e-12);
        assertEquals(8.258168557358493, bpd.convert(logp, 2), 1e-12);

        // The uniform density on [0, 1]^D (log p = 0) is 8 bits/dim: no better than storing the bytes.
        assertEquals(8.0, bpd.convert(0.0, 784), 1e-12);
        // A density of 256 per pixel, all mass in the observed level's bin (log p = D ln 256), is 0 bits/dim.
        assertEquals(0.0, bpd.convert(3 * Math.log(256), 3), 1e-12);
        // That term is right only because the encoding puts level v in [v/256, (v+1)/256), a bin of width 1/256.
        float[] out = new float[3];
        PixelEncoding.encode(new byte[]{0, (byte) 128, (byte) 255}, 0, 3, 7, Binarization.DEQUANTIZE, 1, 0, out, 0);
        int[] levels = {0, 128, 255};
        for (int i = 0; i < 3; i++) {
            assertTrue(out[i] >= levels[i] / 256.0 && out[i] < (levels[i] + 1) / 256.0, "level " + levels[i] + " -> " + out[i]);
        }
    }

    @Test
    void discreteEightBitLogisticAgainstHandComputedValues() {
        VaeConfig c = config("logistic");
        BitsPerDim bpd = BitsPerDim.of(c, Binarization.NONE);
        assertEquals(BitsPerDim.Basis.DISCRETE, bpd.basis());

        // Three pixels, levels (0, 128, 255); per pixel [mean, log-scale] in the [-1, 1] scale, bins of half-width 1/255:
        //   v = 0:   sigma((-1 + 1/255 + 0.9) / 0.05)             = sigma(-1.921569)          = 0.12768674607438624
        //   v = 128: sigma((1/255 + 1/255) / 0.02) - sigma(0)      = 0.596802 - 0.5            = 0.09680181208820715
        //   v = 255: 1 - sigma((1 - 1/255 - 0.95) / 0.1)           = 1 - sigma(0.460784)       = 0.3867997793444573
        // log P(x) = -5.343112961703429; bpd = 5.343112961703429 / (3 ln 2) = 2.5694941909196936.
        double[] params = {-0.9, Math.log(0.05), 0.0, Math.log(0.02), 0.95, Math.log(0.1)};
        double logp = DiscretizedLogisticTest.graphLogProb(DataType.DOUBLE, new ImageShape(1, 3, 1), 1, "logistic",
                new int[][]{{0, 128, 255}}, params)[0];
        assertEquals(-5.343112961703429, logp, 1e-10);
        assertEquals(2.5694941909196936, bpd.convert(logp, 3), 1e-10);
        // The uniform mass 1/256 on every level is 8 bits/dim; no dequantization term is added for a discrete likelihood.
        assertEquals(8.0, bpd.convert(-784 * Math.log(256), 784), 1e-12);
        assertEquals(-logp / (3 * LN2), bpd.convert(logp, 3), 0.0);
    }

    @Test
    void bitsPerDimIsAbsentWithAReasonWhereNeitherFormulaApplies() {
        BitsPerDim gaussianOnRawPixels = BitsPerDim.of(config("gaussian"), Binarization.NONE);
        assertFalse(gaussianOnRawPixels.defined());
        assertNull(gaussianOnRawPixels.basis());
        assertTrue(gaussianOnRawPixels.reason().contains("data.binarization=dequantize"), gaussianOnRawPixels.reason());
        BitsPerDim logisticOnDequantized = BitsPerDim.of(config("logistic"), Binarization.DEQUANTIZE);
        assertFalse(logisticOnDequantized.defined());
        assertTrue(logisticOnDequantized.reason().contains("data.binarization=none"), logisticOnDequantized.reason());
    }

    private static VaeConfig config(String likelihood, String... more) {
        String[] all = new String[more.length + 1];
        all[0] = "model.likelihood=" + likelihood;
        System.arraycopy(more, 0, all, 1, more.length);
        return VaeConfig.from(TestConfigs.small(all).config(), new ImageShape(1, likelihood.equals("gaussian") ? 2 : 3, 1));
    }

    /** log p(x | means) of the model's Gaussian likelihood graph, one example. */
    private static double gaussianLogProb(VaeConfig c, double[] x, double[] means) {
        ObservationModel m = Likelihoods.create(c);
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, c, DataType.DOUBLE);
        SDVariable out = sd.placeHolder("out", DataType.DOUBLE, 1, -1, m.outputWidth());
        SDVariable lp = m.logProb(g, g.x(), out);
        INDArray xs = Nd4j.create(x, new long[]{1, x.length}, 'c');
        INDArray os = Nd4j.create(means, new long[]{1, 1, means.length}, 'c');
        return sd.output(Map.of(g.x().name(), xs, "out", os), lp.name()).get(lp.name()).getDouble(0);
    }
}
