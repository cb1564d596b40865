package org.vaespark.core.model.structure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The K-layer hierarchy with K = 2, top-down inference and the non-Markovian generative model is today's two-layer
 * HVAE (Tomczak &amp; Welling 2018): against {@link LegacyTwoLayerVae}, the structure as it was before, the same
 * parameter names, shapes and order, and the same per-sample outputs, loss and gradients on the same parameters and
 * noise, whether the config uses the old keys or {@code model.hierarchy.latent-dims}.
 */
class LegacyEquivalenceTest {
    private static final int DIM = 784;
    private static final int BATCH = 4;
    private static final int SAMPLES = 3;
    private static final String[] OUTPUTS = {VaeNames.LOG_PX_Z, VaeNames.LOG_PZ, VaeNames.LOG_QZ_X, VaeNames.LOG_W,
            VaeNames.KL_Z1, VaeNames.KL_Z2, VaeNames.Z_MEAN, VaeNames.Z_LOGVAR, VaeNames.Z1_MEAN, VaeNames.PRIOR_Z1_LOGVAR,
            VaeNames.LOSS};

    private static VaeConfig config(String keys, String prior) {
        List<String> layers = keys.equals("old")
                ? List.of("model.latent-dim=6", "model.hierarchy.top-latent-dim=4")
                : List.of("model.hierarchy.latent-dims=[6, 4]");
        Settings s = Settings.defaults("model.kind=hvae", "model.architecture=gated", "model.encoder.hidden=[12]",
                "model.decoder.hidden=[10]", "model.hierarchy.hidden=[8, 7]", "model.prior.kind=" + prior,
                "model.prior.components=3").with(layers.toArray(new String[0]));
        return VaeConfig.from(s.config(), DIM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"old:standard", "new:standard", "old:vamp", "new:mog"})
    void twoLayersTopDownIsTheTwoLayerModelOfBefore(String keysAndPrior) {
        String[] parts = keysAndPrior.split(":");
        VaeConfig c = config(parts[0], parts[1]);
        ParameterLayout legacy = new ParameterLayout();
        new LegacyTwoLayerVae(c).declare(legacy);
        ParameterLayout now = ModelDescription.layout(c);
        assertEquals(legacy.names(), now.names(), "parameter names and order");
        for (String name : legacy.names()) {
            assertArrayEquals(legacy.shapes().get(name), now.shapes().get(name), name);
        }
        NamedArrays params = moved(now.initialise(3));
        assertEquals(legacy.initialise(3).names(), params.names());

        SplittableRandom rng = new SplittableRandom(9);
        float[] x = new float[BATCH * DIM];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.3 ? 1f : 0f;
        }
        float[] eps = new float[SAMPLES * BATCH * c.noiseDim()];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) (2 * rng.nextDouble() - 1);
        }
        Vae.Feed feed = new Vae.Feed(Vae.matrix(x, BATCH, DIM), Nd4j.create(eps, new long[]{SAMPLES, BATCH, c.noiseDim()}, 'c'),
                0.8, null, null);
        Vae model = Vae.withParameters(c, params);
        Map<String, INDArray> expected = legacyGraph(c, params).output(placeholders(feed), OUTPUTS);
        Map<String, INDArray> actual = model.output(feed, OUTPUTS);
        for (String name : OUTPUTS) {
            float[] e = expected.get(name).castTo(DataType.FLOAT).dup('c').data().asFloat();
            float[] a = actual.get(name).castTo(DataType.FLOAT).dup('c').data().asFloat();
            assertEquals(e.length, a.length, name);
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], a[i], 1e-6 * (1 + Math.abs(e[i])), name + "[" + i + "]");
            }
        }
        SameDiff legacyGraph = legacyGraph(c, params);
        Map<String, INDArray> legacyGradients = legacyGraph.calculateGradients(placeholders(feed), legacy.names());
        Vae.Step step = model.step(feed, VaeNames.LOSS);
        for (String name : legacy.names()) {
            float[] e = legacyGradients.get(name).castTo(DataType.FLOAT).dup('c').data().asFloat();
            float[] a = step.gradients().get(name).castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], a[i], 1e-6 * (1 + Math.abs(e[i])), "gradient of " + name + "[" + i + "]");
            }
        }
    }

    /** The graph of the two-layer structure as it was, with {@code params} as its variables. */
    private static SameDiff legacyGraph(VaeConfig c, NamedArrays params) {
        SameDiff sd = SameDiff.create();
        for (String name : params.names()) {
            sd.var(name, params.toNd4j(name).castTo(DataType.FLOAT));
        }
        new LegacyTwoLayerVae(c).build(new Graph(sd, c, DataType.FLOAT));
        sd.setLossVariables(VaeNames.LOSS);
        return sd;
    }

    private static Map<String, INDArray> placeholders(Vae.Feed f) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(VaeNames.X, f.x());
        ph.put(VaeNames.EPS, f.eps());
        ph.put(VaeNames.BETA, Nd4j.scalar((float) f.beta()));
        return ph;
    }

    private static NamedArrays moved(NamedArrays p) {
        SplittableRandom rng = new SplittableRandom(5);
        return p.map((name, v) -> {
            float[] out = v.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] += (float) (0.2 * (rng.nextDouble() - 0.5));
            }
            return out;
        });
    }
}
