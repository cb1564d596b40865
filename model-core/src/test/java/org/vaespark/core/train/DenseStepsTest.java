package org.vaespark.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.kernel.DenseAdam;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;

/**
 * Training on the dense path against training through the graph from the same start, on real
 * binarized MNIST rows: the same per-step ELBO terms, parameters that agree to float rounding after
 * many Adam steps, and the models that must stay on the graph.
 */
class DenseStepsTest {
    private static final Shard DATA = MnistRows.binarized("train", 300, 0);

    @Test
    void densePathFollowsTheGraphPathOverManyAdamSteps() {
        for (String[] overrides : new String[][]{{"model.activation=relu", "model.beta=0.8"},
                {"model.activation=tanh", "train.samples=2", "model.decoder.hidden=[32, 24]"}}) {
            Settings s = TestConfigs.small(overrides);
            TrainConfig tc = TestConfigs.train(s);
            VaeConfig mc = TestConfigs.model(s, 784);
            NamedArrays p = Vae.initialise(mc, tc.seed()).parameters();
            PartitionTrainer dense = new PartitionTrainer(tc, DATA);
            PartitionTrainer graph = new PartitionTrainer(tc.withBackend(org.vaespark.core.cpu.Backend.GRAPH), DATA);
            assertNull(dense.graphReason(mc), String.join(" ", overrides));
            RoundResult d1 = dense.run(Vae.withParameters(mc, p), p, AdamState.zeros(p), 1);
            RoundResult g1 = graph.run(Vae.withParameters(mc, p), p, AdamState.zeros(p), 1);
            assertEquals(g1.elboSum(), d1.elboSum(), 1e-6 * Math.abs(g1.elboSum()), "first-step ELBO");
            assertEquals(g1.reconstructionSum(), d1.reconstructionSum(), 1e-6 * Math.abs(g1.reconstructionSum()), "reconstruction");
            assertEquals(g1.klSum(), d1.klSum(), 1e-5 * Math.abs(g1.klSum()), "KL");

            Vae denseModel = Vae.withParameters(mc, p);
            RoundResult d = dense.run(denseModel, p, AdamState.zeros(p), 40);
            RoundResult g = graph.run(Vae.withParameters(mc, p), p, AdamState.zeros(p), 40);
            assertEquals(40, d.adam().step());
            double moved = UpdateGuard.updateNorm(p, g.parameters());
            double apart = UpdateGuard.updateNorm(g.parameters(), d.parameters());
            System.out.printf("after 40 steps (%s): |graph - start| %.4f, |dense - graph| %.2e%n", String.join(" ", overrides), moved, apart);
            assertTrue(apart < 1e-5 * moved, "dense and graph parameters differ by " + apart + " after moving " + moved);
            assertTrue(UpdateGuard.updateNorm(g.adam().v(), d.adam().v()) < 1e-5 * norm(g.adam().v()), "second moments");
            assertEquals(g.elboSum(), d.elboSum(), 1e-4 * Math.abs(g.elboSum()), "ELBO summed over 40 steps");
            RoundResult later = dense.run(denseModel, d.parameters(), d.adam(), 1);
            assertTrue(later.elboSum() / later.examples() > d1.elboSum() / d1.examples() + 50,
                    "ELBO did not improve: " + d1.elboSum() / d1.examples() + " -> " + later.elboSum() / later.examples());
        }
    }

    @Test
    void otherObjectivesAndModelsTrainThroughTheGraphAndSayWhy() {
        for (String override : new String[]{"model.objective.kind=iwae", "model.objective.free-bits=0.5", "model.objective.kind=mmd",
                "model.kind=cvae", "model.architecture=gated", "model.prior.kind=vamp", "model.likelihood=gaussian"}) {
            VaeConfig c = TestConfigs.model(TestConfigs.small(override), 784);
            String why = new PartitionTrainer(TestConfigs.train(TestConfigs.small(override)), DATA).graphReason(c);
            assertNotNull(why, override);
            assertTrue(why.contains(override.substring("model.".length(), override.indexOf('='))), override + ": " + why);
        }
        VaeConfig reference = TestConfigs.model(TestConfigs.small(), 784);
        assertNotNull(new PartitionTrainer(TestConfigs.train(TestConfigs.small()).withBackend(org.vaespark.core.cpu.Backend.GRAPH), DATA).graphReason(reference));
    }

    @Test
    void denseAdamGivesTheSameFloatsAsAdam() {
        Settings s = TestConfigs.small("train.learning-rate=0.01");
        TrainConfig tc = TestConfigs.train(s);
        NamedArrays p = Vae.initialise(TestConfigs.model(s, 784), 3).parameters();
        Adam reference = new Adam(tc, AdamState.zeros(p));
        Map<String, INDArray> live = p.toNd4j();
        org.vaespark.core.kernel.DenseLayout layout = new org.vaespark.core.kernel.DenseLayout(Vae.initialise(TestConfigs.model(s, 784), 3).layout());
        int n = layout.total();
        ByteBuffer params = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
        params.asFloatBuffer().put(layout.flatten(p));
        ByteBuffer grads = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
        SplittableRandom rng = new SplittableRandom(9);
        try (DenseAdam dense = new DenseAdam(tc.learningRate(), tc.beta1(), tc.beta2(), tc.epsilon(), new float[n], new float[n], 0, 2)) {
            for (int step = 0; step < 5; step++) {
                float[] g = new float[n];
                for (int i = 0; i < n; i++) {
                    g[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-6, 1)));
                }
                grads.asFloatBuffer().put(0, g);
                dense.update(params, grads);
                reference.update(live, layout.split(g).toNd4j());
            }
            float[] updated = new float[n];
            params.asFloatBuffer().get(0, updated);
            assertTrue(NamedArrays.fromNd4j(live).identicalTo(layout.split(updated)), "parameters after 5 steps");
            assertTrue(reference.state().m().identicalTo(layout.split(dense.m())), "first moments");
            assertTrue(reference.state().v().identicalTo(layout.split(dense.v())), "second moments");
        }
    }

    /**
     * At 2 threads the dense step's GEMMs run two at a time on one BLAS thread each
     * (DenseVae.forThreads): 40 Adam steps stay within float rounding of the 1-thread path, and BLAS
     * is back at the task's thread count after the round.
     */
    @Test
    void twoThreadStepsFollowOneThreadAndRestoreBlas() {
        Settings s = Settings.defaults();
        TrainConfig tc = TrainConfig.from(s.config());
        VaeConfig mc = VaeConfig.from(s.config(), 784);
        NamedArrays p = Vae.initialise(mc, 3).parameters();
        Vae model = Vae.withParameters(mc, p);
        NativeThreads.configure(1);
        RoundResult one = new PartitionTrainer(tc, DATA).run(model, p, AdamState.zeros(p), 40);
        NativeThreads.configure(2);
        try {
            RoundResult two = new PartitionTrainer(tc, DATA).run(model, p, AdamState.zeros(p), 40);
            assertEquals(2, Nd4j.factory().blas().getMaxThreads(), "BLAS threads after a 2-thread round");
            assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("dense-gemm")),
                    "no concurrent GEMM helper was started");
            double moved = UpdateGuard.updateNorm(p, one.parameters());
            double apart = UpdateGuard.updateNorm(one.parameters(), two.parameters());
            System.out.printf("after 40 steps at 1 and 2 threads: |1 thread - start| %.4f, |2 threads - 1 thread| %.2e%n", moved, apart);
            assertTrue(apart < 1e-5 * moved, "2 and 1 threads differ by " + apart + " after moving " + moved);
        } finally {
            NativeThreads.configure(1);
        }
    }

    @Test
    void roundsOnAReusedWorkspaceGiveTheSameFloatsAsOneRound() {
        Settings s = TestConfigs.small("model.activation=relu");
        TrainConfig tc = TestConfigs.train(s);
        VaeConfig mc = TestConfigs.model(s, 784);
        Vae model = Vae.initialise(mc, tc.seed());
        NamedArrays p = model.parameters();
        PartitionTrainer dense = new PartitionTrainer(tc, DATA);
        RoundResult whole = dense.run(model, p, AdamState.zeros(p), 6);
        RoundResult half = dense.run(model, p, AdamState.zeros(p), 3);
        VaeConfig other = TestConfigs.model(TestConfigs.small("model.activation=tanh"), 784);
        NamedArrays q = Vae.initialise(other, 1).parameters();
        dense.run(Vae.withParameters(other, q), q, AdamState.zeros(q), 2);
        RoundResult rest = dense.run(model, half.parameters(), half.adam(), 3);
        assertTrue(whole.parameters().identicalTo(rest.parameters()), "parameters after 6 steps in one round and in two");
        assertTrue(whole.adam().m().identicalTo(rest.adam().m()) && whole.adam().v().identicalTo(rest.adam().v()), "moments");
        assertEquals(6, rest.adam().step());

        DenseWorkspace first = DenseWorkspace.acquire(mc, model.layout(), 1);
        DenseWorkspace nested = DenseWorkspace.acquire(mc, model.layout(), 1);
        assertTrue(first != nested, "a second open round gets its own buffers");
        nested.release();
        first.release();
        DenseWorkspace again = DenseWorkspace.acquire(mc, model.layout(), 1);
        again.release();
        assertTrue(again == first, "the thread's next round reuses its buffers");
    }

    @Test
    void localTrainerLeavesTheModelHoldingTheTrainedParameters() {
        Settings s = TestConfigs.small();
        LocalTrainer.Result r = new LocalTrainer(TestConfigs.train(s)).fit(TestConfigs.model(s, 784), DATA, 3);
        assertNull(new PartitionTrainer(TestConfigs.train(s), DATA).graphReason(r.model().config()));
        assertTrue(r.model().parameters().identicalTo(r.state().parameters()));
    }

    private static double norm(NamedArrays a) {
        return UpdateGuard.updateNorm(a.zerosLike(), a);
    }
}
