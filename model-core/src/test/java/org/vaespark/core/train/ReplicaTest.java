package org.vaespark.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.kernel.DenseLayout;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;

/**
 * A replica kept open across rounds, handing its state out and back as one vector, against the
 * per-round {@link PartitionTrainer#run} from named arrays: the same bits on the dense path and
 * through the graph. And the dense path's vector layout against the named arrays it stands for.
 */
class ReplicaTest {
    private static final Shard DATA = MnistRows.binarized("train", 300, 1);

    @Test
    void roundsThroughOneReplicaGiveTheBitsOfRoundsFromNamedArrays() {
        for (String[] overrides : new String[][]{{}, {"model.prior.kind=vamp"}}) {
            Model m = Model.of(overrides);
            VaeConfig mc = m.config();
            NamedArrays p = m.start();
            PartitionTrainer trainer = m.trainer();
            RoundResult first = trainer.run(Vae.withParameters(mc, p), p, AdamState.zeros(p), 3);
            RoundResult second = trainer.run(Vae.withParameters(mc, p), first.parameters(), first.adam(), 4);

            try (Replica replica = trainer.open(Vae.withParameters(mc, p), p, AdamState.zeros(p))) {
                FlatState layout = replica.layout();
                Replica.Round r1 = replica.run(3);
                assertEquals(first.elboSum(), r1.elboSum(), String.join(" ", overrides));
                assertEquals(3, r1.step());
                float[] v = replica.pack().clone();
                assertArrayEquals(layout.pack(first.parameters(), first.adam(), new float[layout.length()]), v, "packed state");
                // a round-trip through the averaging vector (as a round of one replica) changes nothing
                replica.load(v.clone(), replica.step());
                Replica.Round r2 = replica.run(4);
                assertEquals(second.elboSum(), r2.elboSum());
                assertEquals(7, replica.step());
                float[] end = replica.pack();
                assertBits(second.parameters(), layout.parameters(end));
                assertBits(second.adam().m(), layout.adam(end, 7).m());
                assertBits(second.adam().v(), layout.adam(end, 7).v());
            }
        }
    }

    @Test
    void aLoadedVectorReplacesTheReplicasState() {
        Model m = Model.of();
        VaeConfig mc = m.config();
        NamedArrays p = m.start();
        PartitionTrainer trainer = m.trainer();
        RoundResult elsewhere = trainer.run(Vae.withParameters(mc, p), p, AdamState.zeros(p), 5);
        RoundResult expected = trainer.run(Vae.withParameters(mc, p), elsewhere.parameters(), elsewhere.adam(), 2);
        try (Replica replica = trainer.open(Vae.withParameters(mc, p), p, AdamState.zeros(p))) {
            replica.run(1);
            FlatState layout = replica.layout();
            float[] loaded = layout.pack(elsewhere.parameters(), elsewhere.adam(), new float[layout.length()]);
            replica.load(loaded, 5);
            assertArrayEquals(loaded, replica.pack(), "packed right after a load: the loaded state, moments included");
            replica.load(loaded, 5);
            replica.run(2);
            float[] end = replica.pack();
            assertBits(expected.parameters(), layout.parameters(end));
            assertBits(expected.adam().v(), layout.adam(end, 7).v());
        }
    }

    @Test
    void theDenseVectorLayoutStandsForTheNamedArrays() {
        Settings s = TestConfigs.small();
        VaeConfig mc = TestConfigs.model(s, 784);
        Vae vae = Vae.initialise(mc, 3);
        DenseLayout dense = new DenseLayout(vae.layout());
        assertTrue(dense.fusedHeads(), "the reference encoder's heads are interleaved");
        FlatState layout = FlatState.of(dense);
        NamedArrays before = vae.parameters();
        NamedArrays after = perturbed(before, new Random(5));
        AdamState adam = new AdamState(perturbed(before, new Random(6)), perturbed(before, new Random(7)), 9);
        float[] v = layout.pack(after, adam, new float[layout.length()]);
        assertArrayEquals(dense.flatten(after), java.util.Arrays.copyOfRange(v, 0, dense.total()), "the parameter part is the dense buffer");
        assertBits(after, layout.parameters(v));
        assertBits(adam.m(), layout.adam(v, 9).m());
        assertBits(adam.v(), layout.adam(v, 9).v());
        float[] w = layout.pack(before, adam, new float[layout.length()]);
        assertEquals(UpdateGuard.updateNorm(before, after), layout.updateNorm(w, v), 0.0, "the same double sum in the same order");
        assertEquals(UpdateGuard.updateNorm(before, after), new FlatState(before).updateNorm(
                new FlatState(before).pack(before, adam, new float[layout.length()]), new FlatState(before).pack(after, adam, new float[layout.length()])), 0.0);
        v[dense.offset(org.vaespark.core.model.VaeNames.weight(org.vaespark.core.model.VaeNames.ENC_LOGVAR)) + 1] = Float.NaN;
        assertTrue(Double.isNaN(layout.updateNorm(w, v)), "a NaN parameter makes the norm NaN");
    }

    /** A small test model of the family with its start and trainer on {@link #DATA}. */
    private record Model(VaeConfig config, TrainConfig train) {
        static Model of(String... overrides) {
            Settings s = TestConfigs.small(overrides);
            return new Model(TestConfigs.model(s, 784), TestConfigs.train(s));
        }

        NamedArrays start() {
            return Vae.initialise(config, train.seed()).parameters();
        }

        PartitionTrainer trainer() {
            return new PartitionTrainer(train, DATA);
        }
    }

    private static void assertBits(NamedArrays expected, NamedArrays actual) {
        assertEquals(expected.names(), actual.names());
        for (String name : expected.names()) {
            assertArrayEquals(expected.shape(name), actual.shape(name), name);
            assertArrayEquals(expected.values(name), actual.values(name), name);
        }
    }

    private static NamedArrays perturbed(NamedArrays a, Random random) {
        NamedArrays.Builder b = NamedArrays.builder();
        for (String name : a.names()) {
            float[] x = a.values(name).clone();
            for (int i = 0; i < x.length; i++) {
                x[i] += (float) (random.nextGaussian() * 0.01);
            }
            b.put(name, a.shape(name), x);
        }
        return b.build();
    }
}
