package org.vaespark.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.IwaeEstimator;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.LocalTrainer;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;

/** The dense IWAE path against the graph, per example, on briefly trained models and real MNIST rows. */
class DenseIwaeTest {
    private static final Shard TRAIN = MnistRows.binarized("train", 300, 0);
    private static final Shard TEST = MnistRows.binarized("test", 12, 0);

    @Test
    void reluDecoderOfTwoLayersMatchesTheGraph() {
        compare("model.decoder.hidden=[48, 32]", "model.activation=relu");
    }

    @Test
    void tanhDecoderWithAnalyticKlMatchesTheGraph() {
        compare("model.activation=tanh");
    }

    @Test
    void otherModelsStayOnTheGraphAndSayWhy() {
        for (String override : new String[]{"model.prior.kind=mog", "model.posterior.kind=planar", "model.activation=softplus"}) {
            VaeConfig c = TestConfigs.model(TestConfigs.small(override), 784);
            assertNotNull(DenseIwae.unavailable(c), override);
            assertFalse(new IwaeEstimator(Vae.initialise(c, 1), 10, 5, 1).dense(), override);
        }
        assertNull(DenseIwae.unavailable(TestConfigs.model(TestConfigs.small(), 784)));
    }

    private static void compare(String... overrides) {
        VaeConfig c = TestConfigs.model(TestConfigs.small(overrides), 784);
        Vae model = new LocalTrainer(TestConfigs.train(TestConfigs.small(overrides))).fit(c, TRAIN, 40).model();
        float[] x = new float[TEST.size() * 784];
        for (int i = 0; i < TEST.size(); i++) {
            PixelEncoding.encode(TEST.pixels(), i, 784, TEST.ids()[i], Binarization.STATIC, 0, 0, x, i);
        }
        IwaeEstimator dense = new IwaeEstimator(model, 50, 16, 3);
        assertTrue(dense.dense());
        ExampleEstimate[] fast = dense.estimate(TEST.ids(), x);
        ExampleEstimate[] graph = new IwaeEstimator(model, 50, 16, 3, org.vaespark.core.cpu.Backend.GRAPH).estimate(TEST.ids(), x);
        for (int i = 0; i < fast.length; i++) {
            assertEquals(graph[i].id(), fast[i].id());
            assertEquals(graph[i].logLikelihood(), fast[i].logLikelihood(), 1e-3, "log p(x) of example " + i);
            assertEquals(graph[i].elbo(), fast[i].elbo(), 1e-3, "ELBO of example " + i);
            assertEquals(graph[i].reconstruction(), fast[i].reconstruction(), 1e-3, "reconstruction of example " + i);
            assertEquals(graph[i].kl(), fast[i].kl(), 1e-3, "KL of example " + i);
        }
    }
}
