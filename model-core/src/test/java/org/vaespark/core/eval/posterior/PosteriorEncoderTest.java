package org.vaespark.core.eval.posterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;

/** Per-example encoder outputs, the post-hoc prior comparison and the eval.posterior settings, on real MNIST rows. */
class PosteriorEncoderTest {
    private static final Shard ROWS = MnistRows.binarized("test", 6, 0);

    private static float[] inputs(Shard s) {
        float[] x = new float[s.size() * 784];
        for (int i = 0; i < s.size(); i++) {
            PixelEncoding.encode(s.pixels(), i, 784, s.ids()[i], Binarization.STATIC, 1, 0, x, i);
        }
        return x;
    }

    @Test
    void graphLogDensitiesAgreeWithJavaAndKlWithTheClosedForm() {
        VaeConfig c = TestConfigs.model(TestConfigs.small(), 784);
        Vae model = Vae.initialise(c, 11);
        float[] x = inputs(ROWS);
        EncodedExample[] e = new PosteriorEncoder(model, 7).encode(ROWS.ids(), x, null);
        float[] eps = new float[2 * ROWS.size() * c.noiseDim()];
        NoiseSource.fill(eps, 7, PosteriorEncoder.SURGERY_STREAM, ROWS.ids(), 0, 2, c.noiseDim());
        Map<String, INDArray> out = model.output(Vae.matrix(x, ROWS.size(), 784),
                Nd4j.create(eps, new long[]{2, ROWS.size(), c.noiseDim()}, 'c'), VaeNames.KL);
        double[] graphKl = out.get(VaeNames.KL).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int b = 0; b < e.length; b++) {
            double direct = 0;
            for (int j = 0; j < c.latentDim(); j++) {
                double sigma = Math.exp(0.5 * e[b].logvar()[j]);
                double epsJ = eps[b * c.noiseDim() + j];
                assertEquals(e[b].mean()[j] + sigma * epsJ, e[b].z()[j], 1e-12);
                direct += -0.5 * (epsJ * epsJ + e[b].logvar()[j] + Math.log(2 * Math.PI));
            }
            assertEquals(direct, e[b].logQzx(), 1e-5, "Java log q(z|x) of id " + b);
            assertEquals(e[b].logQzxGraph(), e[b].logQzx(), 1e-3, "graph LOG_QZ_X vs Java of id " + b);
            double standard = 0;
            for (double zj : e[b].z()) {
                standard += -0.5 * (zj * zj + Math.log(2 * Math.PI));
            }
            assertEquals(standard, e[b].logPz(), 1e-3, "log N(z; 0, I) of id " + b);
            assertEquals(graphKl[b], e[b].kl(), 1e-4 * Math.max(1, graphKl[b]), "closed-form KL of id " + b);
            double sum = 0;
            for (double v : e[b].klPerDim()) {
                assertTrue(v >= 0);
                sum += v;
            }
            assertEquals(e[b].kl(), sum, 1e-12);
        }
        // The noise depends on the id only: one example alone gives the same values.
        EncodedExample alone = new PosteriorEncoder(model, 7).encode(new long[]{ROWS.ids()[4]},
                java.util.Arrays.copyOfRange(x, 4 * 784, 5 * 784), null)[0];
        assertArrayEquals(e[4].z(), alone.z(), 1e-5);
    }

    @Test
    void mixturePriorUsesTheSampledKl() {
        VaeConfig c = TestConfigs.model(TestConfigs.small("model.prior.kind=mog", "model.prior.components=3"), 784);
        EncodedExample[] e = new PosteriorEncoder(Vae.initialise(c, 11), 7).encode(ROWS.ids(), inputs(ROWS), null);
        for (EncodedExample ex : e) {
            assertNull(ex.klPerDim());
            assertTrue(Double.isFinite(ex.kl()));
            assertTrue(ex.kl() != ex.sampleKl(), "the KL estimate uses a second, independent sample");
        }
    }

    @Test
    void posthocStandardNormalPriorReproducesTheModelsIwae() {
        VaeConfig c = TestConfigs.model(TestConfigs.small(), 784);
        int d = c.latentDim();
        double[][] identity = new double[d][d];
        for (int j = 0; j < d; j++) {
            identity[j][j] = 1;
        }
        GaussianMixtureDensity standard = new GaussianMixtureDensity(new double[]{1}, new double[][]{new double[d]},
                new double[][][]{identity});
        Vae model = Vae.initialise(c, 11);
        PriorComparison[] r = new PosthocPriorIwae(model, standard, 30, 7, 3).estimate(ROWS.ids(), inputs(ROWS), null);
        for (PriorComparison p : r) {
            assertTrue(Double.isFinite(p.modelPrior()));
            assertEquals(p.modelPrior(), p.posthoc(), 2e-3, "N(0, I) as post-hoc prior for id " + p.id());
        }
        // A deliberately poor prior (far from the aggregated posterior) loses.
        double[] far = new double[d];
        java.util.Arrays.fill(far, 4);
        GaussianMixtureDensity shifted = new GaussianMixtureDensity(new double[]{1}, new double[][]{far}, new double[][][]{identity});
        for (PriorComparison p : new PosthocPriorIwae(model, shifted, 30, 7, 3).estimate(ROWS.ids(), inputs(ROWS), null)) {
            assertTrue(p.gain() < -5, "a prior centred at 4 should lose, gain " + p.gain());
        }
    }

    @Test
    void unsupportedModelsSayWhy() {
        assertNotNull(PosteriorEncoder.unsupported(TestConfigs.model(TestConfigs.small("model.kind=hvae",
                "model.hierarchy.top-latent-dim=3", "model.hierarchy.hidden=[16]"), 784)));
        String planar = PosteriorEncoder.unsupported(TestConfigs.model(TestConfigs.small("model.posterior.kind=planar",
                "model.posterior.length=2"), 784));
        assertTrue(planar.contains("model.posterior.kind=planar"), planar);
        assertNull(PosteriorEncoder.unsupported(TestConfigs.model(TestConfigs.small("model.prior.kind=vamp",
                "model.prior.components=3"), 784)));
    }

    @Test
    void settingsHaveDefaultsAndAreValidated() {
        PosteriorConfig p = PosteriorConfig.from(Settings.defaults().config());
        assertEquals(new PosteriorConfig(10000, 0.01, 10, 100, 500, 1000, 2016, 16), p);
        VaeException e = assertThrows(VaeException.class,
                () -> PosteriorConfig.from(Settings.defaults("eval.posterior.sample-size=0").config()));
        assertTrue(e.getMessage().contains("eval.posterior.sample-size"), e.getMessage());
        assertThrows(VaeException.class, () -> PosteriorConfig.from(Settings.defaults("eval.posterior.active-threshold=-1").config()));
        assertThrows(VaeException.class, () -> PosteriorConfig.from(Settings.defaults("eval.posterior.gmm-max-iter=0").config()));
        assertThrows(VaeException.class, () -> Settings.defaults("eval.posterior.unknown=1"));
    }
}
