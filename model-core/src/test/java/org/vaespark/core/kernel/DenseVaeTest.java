package org.vaespark.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.TestConfigs;

/**
 * The dense ELBO gradient against SameDiff's reverse mode of the same graph, on random parameters
 * (every bias non-zero), random binary inputs and random noise: every parameter's gradient, the
 * per-sample log p(x|z), the per-example KL and the loss.
 */
class DenseVaeTest {
    /** Largest |dense - graph| over a parameter's gradient, relative to the largest |graph| entry. */
    private static final double GRADIENT_TOLERANCE = 2e-6;

    @Test
    void reluWithTwoHiddenLayersMatchesTheGraph() {
        compare(2, 0.7, "model.encoder.hidden=[64, 48]", "model.decoder.hidden=[40, 56]", "model.latent-dim=6", "model.activation=relu");
    }

    @Test
    void tanhWithOneHiddenLayerMatchesTheGraph() {
        compare(1, 1.0, "model.encoder.hidden=[50]", "model.decoder.hidden=[30]", "model.latent-dim=5", "model.activation=tanh");
    }

    @Test
    void tanhWithTwoLayersAndThreeSamplesMatchesTheGraph() {
        compare(3, 0.25, "model.encoder.hidden=[40, 30]", "model.decoder.hidden=[30, 40]", "model.activation=tanh");
    }

    @Test
    void reluWithOneLayerMatchesTheGraph() {
        compare(1, 1.0, "model.encoder.hidden=[70]", "model.decoder.hidden=[60]", "model.activation=relu");
    }

    @Test
    void theHeadsShareOneInterleavedBlockAndRoundTrip() {
        VaeConfig c = TestConfigs.model(TestConfigs.small("model.encoder.hidden=[7]", "model.latent-dim=3"), 784);
        Vae model = Vae.initialise(c, 2);
        NamedArrays params = model.parameters().map((name, v) -> {
            float[] out = new float[v.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = name.hashCode() % 1000 + i;
            }
            return out;
        });
        DenseLayout layout = new DenseLayout(model.layout());
        assertTrue(layout.fusedHeads());
        float[] flat = layout.flatten(params);
        assertTrue(params.identicalTo(layout.split(flat)), "flatten then split");
        INDArray head = layout.headWeights(Nd4j.createFromArray(flat));
        float[] mu = params.values(VaeNames.weight(VaeNames.ENC_MU));
        float[] logvar = params.values(VaeNames.weight(VaeNames.ENC_LOGVAR));
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(mu[i * 3 + j], head.getFloat(i, j), "mu weight " + i + "," + j);
                assertEquals(logvar[i * 3 + j], head.getFloat(i, 3 + j), "logvar weight " + i + "," + j);
            }
        }
        assertEquals(layout.offset(VaeNames.bias(VaeNames.ENC_MU)) + 3, layout.offset(VaeNames.bias(VaeNames.ENC_LOGVAR)));
    }

    private static void compare(int samples, double beta, String... overrides) {
        VaeConfig c = TestConfigs.model(TestConfigs.small(overrides), 784);
        SplittableRandom rng = new SplittableRandom(samples * 31L + overrides.length);
        Vae model = Vae.initialise(c, 5);
        NamedArrays params = model.parameters().map((name, v) -> {
            float[] out = v.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] += (float) (0.05 * rng.nextGaussian());
            }
            return out;
        });
        model.setParameters(params);
        int batch = 13;
        int d = c.latentDim();
        float[] x = new float[batch * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.3 ? 1f : 0f;
        }
        float[] eps = new float[samples * batch * d];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) rng.nextGaussian();
        }
        Vae.Step graph = model.step(Vae.Feed.of(Vae.matrix(x, batch, 784), Nd4j.create(eps, new long[]{samples, batch, d}, 'c'), beta),
                VaeNames.LOSS, VaeNames.LOG_PX_Z, VaeNames.KL);

        DenseLayout layout = new DenseLayout(model.layout());
        try (DenseVae dense = new DenseVae(c, layout)) {
            dense.setParameters(layout.flatten(params));
            double[] logPx = new double[samples * batch];
            double[] kl = new double[batch];
            dense.gradient(x, eps, (float) beta, logPx, kl);
            NamedArrays grads = layout.split(dense.gradients());
            double worst = 0;
            for (String name : params.names()) {
                float[] expected = graph.gradients().get(name).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
                float[] actual = grads.values(name);
                double scale = 0;
                double diff = 0;
                for (int i = 0; i < expected.length; i++) {
                    scale = Math.max(scale, Math.abs(expected[i]));
                    diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
                }
                assertTrue(scale > 0, name + ": zero gradient in the graph");
                worst = Math.max(worst, diff / scale);
                assertTrue(diff <= GRADIENT_TOLERANCE * scale, name + ": max |dense - graph| " + diff + " vs max |graph| " + scale);
            }
            System.out.printf("dense vs graph gradients (%s, S=%d): worst relative difference %.2e%n", String.join(" ", overrides), samples, worst);
            double[] graphLogPx = values(graph.outputs(), VaeNames.LOG_PX_Z);
            double[] graphKl = values(graph.outputs(), VaeNames.KL);
            double meanLogPx = 0;
            double meanKl = 0;
            for (int r = 0; r < logPx.length; r++) {
                assertEquals(graphLogPx[r], logPx[r], 2e-6 * Math.abs(graphLogPx[r]), "log p(x|z) of row " + r);
                meanLogPx += logPx[r] / logPx.length;
            }
            for (int b = 0; b < batch; b++) {
                assertEquals(graphKl[b], kl[b], 1e-5 * Math.abs(graphKl[b]) + 1e-6, "KL of example " + b);
                meanKl += kl[b] / batch;
            }
            double loss = -(meanLogPx - (float) beta * meanKl);
            assertEquals(values(graph.outputs(), VaeNames.LOSS)[0], loss, 2e-6 * Math.abs(loss), "loss");
        }
    }

    private static double[] values(Map<String, INDArray> outputs, String name) {
        return outputs.get(name).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
    }
}
