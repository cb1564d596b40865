package org.vaespark.core.eval.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.samediff.Vae;

/**
 * The per-layer posterior figures of a K-layer hierarchical VAE: one entry per layer, top first; each layer's KL
 * (closed form for the top, the nested estimate below) agrees with the plain Monte-Carlo KL of that layer over the same
 * samples; bottom-up inference is refused with its reason.
 */
class SampledLayersTest {
    private static VaeConfig config(String inference) {
        Settings s = Settings.defaults("model.kind=hvae", "model.encoder.hidden=[16]", "model.decoder.hidden=[16]",
                "model.hierarchy.latent-dims=[3, 2, 2]", "model.hierarchy.hidden=[8]", "model.hierarchy.inference=" + inference);
        return VaeConfig.from(s.config(), 784);
    }

    @Test
    void everyLayerOfAThreeLayerModelHasItsFigures() {
        VaeConfig c = config("top-down");
        assertNull(SampledPosterior.unsupported(c));
        assertEquals(List.of("z3", "z2", "z1"), SampledPosterior.layers(c));
        Vae model = Vae.initialise(c, 4);
        SplittableRandom rng = new SplittableRandom(3);
        model.setParameters(model.parameters().map((n, a) -> {
            float[] out = a.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] += (float) (0.2 * (rng.nextDouble() - 0.5));
            }
            return out;
        }));
        int batch = 3;
        float[] x = new float[batch * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.2 ? 1f : 0f;
        }
        int samples = 2000;
        long[] ids = {0, 1, 2};
        SampledExample[] e = new SampledPosterior(model, 7, samples).encode(ids, x, null);
        float[] eps = new float[samples * batch * c.noiseDim()];
        NoiseSource.fill(eps, 7, SampledPosterior.STREAM, ids, 0, samples, c.noiseDim());
        Map<String, INDArray> out = model.output(Vae.matrix(x, batch, 784),
                Nd4j.create(eps, new long[]{samples, batch, c.noiseDim()}, 'c'), VaeNames.layerKl(1), VaeNames.layerKl(2),
                VaeNames.layerKl(3));
        for (SampledExample ex : e) {
            int b = (int) ex.id();
            assertEquals(3, ex.layers().length);
            assertEquals(2, ex.layers()[0].posteriorMean().length);
            assertEquals(2, ex.layers()[1].posteriorMean().length);
            assertEquals(3, ex.layers()[2].posteriorMean().length);
            for (int k = 3; k >= 1; k--) {
                LayerSample l = ex.layers()[3 - k];
                assertNotNull(l.klPerDim());
                // The layer's KL (top: closed form; lower: closed form inside, the S samples of the layers above outside)
                // against the plain Monte-Carlo mean of log q(z_k|.) - log p(z_k|.) over the same samples: equal up to
                // Monte-Carlo error (within 4 standard errors of that mean).
                double mean = 0;
                double sq = 0;
                for (int i = 0; i < samples; i++) {
                    double v = out.get(VaeNames.layerKl(k)).getDouble(i, b);
                    mean += v / samples;
                    sq += v * v / samples;
                }
                double se = Math.sqrt(Math.max(0, sq - mean * mean) / samples);
                assertEquals(mean, l.kl(), 4 * se + 1e-3, "example " + b + ", KL of z" + k);
            }
        }
    }

    @Test
    void bottomUpInferenceIsRefusedWithTheReason() {
        String why = SampledPosterior.unsupported(config("bottom-up"));
        assertNotNull(why);
        assertTrue(why.contains("bottom-up"), why);
        assertNull(SampledPosterior.unsupported(config("bidirectional")));
    }
}
