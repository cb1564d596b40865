package org.vaespark.core.model.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.samediff.DecoderGraph;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.PosteriorKind;
import org.vaespark.core.model.likelihood.Likelihoods;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.ComponentGraphs;
import org.vaespark.core.testing.JavaLayers;
import org.vaespark.core.testing.Variant;
import org.vaespark.core.testing.VariantData;
import org.vaespark.core.testing.Variants;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;

/**
 * The decoder-only graph decodes exactly what the training graph decodes: with eps = 0 the training
 * graph's z is the posterior mean, and its X_MEAN must equal the decoder graph's mean of Z_MEAN;
 * the likelihoods' means match plain-Java references.
 */
class DecoderGraphTest {

    static List<Variant> variants() {
        return Variants.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void decodesWhatTheTrainingGraphDecodes(Variant v) {
        Settings s = v.settings();
        VaeConfig mc = VaeConfig.from(s.config(), VariantData.shape(v));
        Shard data = VariantData.train(v, 20);
        Vae model = VariantData.initialise(mc, TrainConfig.from(s.config()), data);
        if (DecoderGraph.unavailable(mc) != null) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> new DecoderGraph(mc, model.parameters()));
            assertTrue(e.getMessage().contains("PixelCNN"), e.getMessage());
            return;
        }
        DecoderGraph decoder = new DecoderGraph(mc, model.parameters());
        Vae.Feed feed = VariantData.feed(v, mc, data, 6, 1, DataType.FLOAT);
        Vae.Feed zeroNoise = new Vae.Feed(feed.x(), Nd4j.zerosLike(feed.eps()), feed.beta(), feed.labels(), feed.labelled());
        int[] labels = labels(feed);
        if (mc.kind() == ModelKind.M2) {
            INDArray m = decoder.mean(Nd4j.zeros(DataType.FLOAT, 6, mc.priorDim()), null, new int[]{0, 1, 2, 3, 4, 5});
            assertEquals(List.of(6L, (long) mc.inputDim()), List.of(m.size(0), m.size(1)));
            return;
        }
        Map<String, INDArray> out = model.output(zeroNoise, VaeNames.X_MEAN, VaeNames.Z_MEAN, VaeNames.Z_SAMPLE);
        INDArray full = out.get(VaeNames.X_MEAN);
        assertEquals(3, full.rank());
        if (mc.kind() == ModelKind.HVAE || mc.posterior().kind() != PosteriorKind.GAUSSIAN) {
            // The lower layers given z_K (HVAE) or z = f(mu) (flows) is not the posterior mean: only shapes and ranges
            // compare. An HVAE decodes its top layer z_K (at zero noise), which bottom-up inference reaches through z_1.
            INDArray z = mc.kind() == ModelKind.HVAE ? out.get(VaeNames.Z_SAMPLE).reshape(6, mc.priorDim()) : out.get(VaeNames.Z_MEAN);
            INDArray m = decoder.mean(z, null, labels);
            assertEquals(full.size(1), m.size(0));
            assertEquals(full.size(2), m.size(1));
            return;
        }
        INDArray viaDecoder = decoder.mean(out.get(VaeNames.Z_MEAN), null, labels);
        float[] a = full.reshape(6, mc.inputDim()).dup('c').data().asFloat();
        float[] b = viaDecoder.dup('c').data().asFloat();
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        assertTrue(max <= 1e-6, v + ": decoder graph differs from the training graph by " + max);
    }

    @Test
    void bernoulliMeanIsTheSigmoidOfThePlainJavaDecoder() {
        VaeConfig mc = ComponentGraphs.tinyConfig("model.latent-dim=3");
        NamedArrays p = ComponentGraphs.jittered(ModelDescription.layout(mc), 4, 0.3);
        double[][] z = ComponentGraphs.randomRows(new SplittableRandom(5), 4, 3, 1.5);
        INDArray mean = new DecoderGraph(mc, p).mean(Nd4j.create(z).castTo(DataType.FLOAT), null, null);
        for (int n = 0; n < 4; n++) {
            double[] l = JavaLayers.dense(p, VaeNames.DEC_OUT, JavaLayers.tanh(JavaLayers.dense(p, VaeNames.decoderLayer(0), z[n])));
            for (int i = 0; i < l.length; i++) {
                assertEquals(1 / (1 + Math.exp(-l[i])), mean.getDouble(n, i), 1e-5);
            }
        }
    }

    @Test
    void logisticMixtureMeanMatchesPlainJava() {
        checkMixture(new ImageShape(2, 2, 3), 3);
        checkMixture(new ImageShape(2, 3, 1), 2);
    }

    @Test
    void logisticMeanIsTheClippedLocation() {
        ImageShape image = new ImageShape(2, 2, 3);
        VaeConfig mc = VaeConfig.from(Settings.defaults("model.likelihood=logistic").config(), image);
        double[][] out = ComponentGraphs.randomRows(new SplittableRandom(2), 3, 2 * image.dimension(), 1.0);
        double[][] mean = likelihoodMean(mc, out);
        for (int n = 0; n < 3; n++) {
            for (int pix = 0; pix < 4; pix++) {
                for (int c = 0; c < 3; c++) {
                    double loc = Math.max(-1, Math.min(1, out[n][pix * 6 + c]));
                    assertEquals((loc + 1) / 2, mean[n][pix * 3 + c], 1e-12);
                }
            }
        }
    }

    private static void checkMixture(ImageShape image, int k) {
        VaeConfig mc = VaeConfig.from(Settings.defaults("model.likelihood=logistic-mixture", "model.logistic.mixtures=" + k)
                .config(), image);
        int ch = image.channels();
        int blocks = 1 + 2 * ch + (ch == 3 ? 3 : 0);
        int pixels = image.height() * image.width();
        double[][] out = ComponentGraphs.randomRows(new SplittableRandom(3), 3, pixels * blocks * k, 1.2);
        double[][] mean = likelihoodMean(mc, out);
        for (int n = 0; n < 3; n++) {
            for (int p = 0; p < pixels; p++) {
                int base = p * blocks * k;
                double[] w = new double[k];
                double total = 0;
                for (int j = 0; j < k; j++) {
                    w[j] = Math.exp(out[n][base + j]);
                    total += w[j];
                }
                double[] expected = new double[ch];
                for (int j = 0; j < k; j++) {
                    double[] mu = new double[ch];
                    for (int c = 0; c < ch; c++) {
                        double m = out[n][base + (1 + c) * k + j];
                        if (c == 1) {
                            m += Math.tanh(out[n][base + (1 + 2 * ch) * k + j]) * mu[0];
                        } else if (c == 2) {
                            m += Math.tanh(out[n][base + (2 + 2 * ch) * k + j]) * mu[0]
                                    + Math.tanh(out[n][base + (3 + 2 * ch) * k + j]) * mu[1];
                        }
                        mu[c] = Math.max(-1, Math.min(1, m));
                        expected[c] += w[j] / total * mu[c];
                    }
                }
                for (int c = 0; c < ch; c++) {
                    assertEquals((expected[c] + 1) / 2, mean[n][p * ch + c], 1e-9, image + " pixel " + p + " channel " + c);
                }
            }
        }
    }

    private static double[][] likelihoodMean(VaeConfig mc, double[][] out) {
        Graph g = ComponentGraphs.graph(mc, ModelDescription.layout(mc).initialise(1));
        SDVariable in = g.sd().placeHolder("out", DataType.DOUBLE, -1, out[0].length);
        SDVariable mean = Likelihoods.create(mc).mean(g, in);
        INDArray r = g.sd().output(Map.of("out", Nd4j.create(out)), mean.name()).get(mean.name());
        assertNotNull(r);
        return ComponentGraphs.rows(r);
    }

    private static int[] labels(Vae.Feed feed) {
        if (feed.labels() == null) {
            return null;
        }
        INDArray y = feed.labels();
        int[] out = new int[(int) y.size(0)];
        for (int i = 0; i < out.length; i++) {
            out[i] = y.getRow(i).argMax().getInt(0);
        }
        return out;
    }
}
