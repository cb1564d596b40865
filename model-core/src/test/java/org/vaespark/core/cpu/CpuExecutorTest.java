package org.vaespark.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaespark.core.config.Settings;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.Variant;
import org.vaespark.core.testing.VariantData;
import org.vaespark.core.testing.Variants;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;

/**
 * The CPU executor against the SameDiff graph, its oracle (STYLE.md, point 13), for every variant
 * of the family it runs: on real rows, with every parameter moved away from its initial value,
 * the loss, the per-sample log p(x|z), log p(z), log q(z|x) and every parameter's gradient agree
 * within float32 tolerances.
 */
class CpuExecutorTest {
    /** |cpu - graph| <= ABS + REL |graph| for per-sample log-densities (sums of up to 784 float terms). */
    private static final double ABS = 2e-3;
    private static final double REL = 2e-5;
    /** Per parameter, ||g_cpu - g_graph|| <= GRAD_REL ||g_graph|| + GRAD_ABS. */
    private static final double GRAD_REL = 2e-3;
    private static final double GRAD_ABS = 1e-5;
    private static final int BATCH = 8;

    static List<Variant> variants() {
        List<Variant> all = new ArrayList<>(Variants.all());
        all.addAll(Variants.cpuExtras());
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void agreesWithTheGraphOrSaysWhyNot(Variant v) {
        Settings s = v.settings();
        VaeConfig c = VaeConfig.from(s.config(), VariantData.shape(v));
        TrainConfig tc = TrainConfig.from(s.config());
        Shard data = VariantData.train(v, 40);
        Vae model = VariantData.initialise(c, tc, data);
        NamedArrays moved = moved(model.parameters(), 7);
        model.setParameters(moved);
        int samples = Math.max(2, tc.samples());
        Vae.Feed feed = VariantData.feed(v, c, data, BATCH, samples, DataType.FLOAT);
        double beta = 0.7 * c.beta();
        Vae.Feed weighted = new Vae.Feed(feed.x(), feed.eps(), beta, feed.labels(), feed.labelled());

        Map<String, INDArray> graph = model.output(weighted, VaeNames.LOG_PX_Z, VaeNames.LOG_PZ, VaeNames.LOG_QZ_X, VaeNames.LOSS);
        Vae.Step step = model.step(weighted, VaeNames.LOSS);

        CpuParameters params = new CpuParameters(moved);
        CpuTraining training = new CpuTraining(CpuModel.of(c), params);
        float[] x = feed.x().dup('c').data().asFloat();
        float[] eps = feed.eps().dup('c').data().asFloat();
        float[] condition = feed.labels() == null ? null : feed.labels().castTo(DataType.FLOAT).dup('c').data().asFloat();
        CpuTraining.Result r = training.gradient(x, BATCH, eps, samples, beta, condition);

        closeTo(v + " log_px_z", graph.get(VaeNames.LOG_PX_Z), r.outputs().logPx());
        closeTo(v + " log_pz", graph.get(VaeNames.LOG_PZ), r.outputs().logPz());
        closeTo(v + " log_qz_x", graph.get(VaeNames.LOG_QZ_X), r.outputs().logQz());
        double loss = graph.get(VaeNames.LOSS).getDouble(0);
        assertEquals(loss, r.loss(), ABS + REL * Math.abs(loss), v + " loss");
        for (String name : moved.names()) {
            float[] expected = step.gradients().get(name).castTo(DataType.FLOAT).dup('c').data().asFloat();
            float[] actual = params.gradients().get(name);
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < expected.length; i++) {
                diff += sq(actual[i] - expected[i]);
                norm += sq(expected[i]);
            }
            assertTrue(Math.sqrt(diff) <= GRAD_REL * Math.sqrt(norm) + GRAD_ABS,
                    v + " gradient of " + name + ": |cpu - graph| = " + Math.sqrt(diff) + ", |graph| = " + Math.sqrt(norm));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void everyVariantRunsOnTheCpuExecutorUnderAuto(Variant v) {
        VaeConfig c = VaeConfig.from(v.settings().config(), VariantData.shape(v));
        ExecutorChoice choice = ExecutorChoice.of(c, Backend.AUTO);
        assertTrue(choice.cpu(), v + ": " + choice.describe());
    }

    private static void closeTo(String what, INDArray expected, Tensor actual) {
        float[] e = expected.castTo(DataType.FLOAT).dup('c').data().asFloat();
        assertEquals(e.length, actual.rows(), what + " rows");
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], actual.values()[i], ABS + REL * Math.abs(e[i]), what + " row " + i);
        }
    }

    /** Every parameter plus N(0, 0.05^2) noise, seeded: away from initial values (zero biases, identity flows). */
    static NamedArrays moved(NamedArrays p, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return p.map((name, v) -> {
            float[] c = v.clone();
            for (int i = 0; i < c.length; i++) {
                c[i] += (float) (0.05 * (rng.nextDouble() * 2 - 1) * 1.7);
            }
            return c;
        });
    }

    private static double sq(double v) {
        return v * v;
    }
}
