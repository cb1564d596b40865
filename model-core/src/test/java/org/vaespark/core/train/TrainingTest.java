package org.vaespark.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;

/** Local training and parameter averaging on real binarized MNIST rows. */
class TrainingTest {
    private static final Shard DATA = MnistRows.binarized("train", 400, 0);

    @Test
    void aTinyFitImprovesTheElboWithoutNaN() {
        Settings s = TestConfigs.small();
        TrainConfig tc = TestConfigs.train(s);
        VaeConfig mc = TestConfigs.model(s, 784);
        PartitionTrainer trainer = new PartitionTrainer(tc, DATA);
        Vae model = Vae.initialise(mc, tc.seed());
        NamedArrays p = model.parameters();
        RoundResult first = trainer.run(model, p, AdamState.zeros(p), 5);
        RoundResult later = trainer.run(model, first.parameters(), first.adam(), 60);
        RoundResult last = trainer.run(model, later.parameters(), later.adam(), 5);
        double before = first.elboSum() / first.examples();
        double after = last.elboSum() / last.examples();
        assertTrue(Double.isFinite(after) && last.parameters().allFinite(), "NaN in training");
        assertTrue(after > before + 50, "ELBO did not improve: " + before + " -> " + after);
        assertEquals(70, last.adam().step());
        assertEquals(last.elboSum(), last.reconstructionSum() - last.klSum(), 1e-9 * Math.abs(last.elboSum()),
                "ELBO = reconstruction - KL");
        assertTrue(last.klSum() > 0 && last.reconstructionSum() < 0, "KL " + last.klSum() + ", log p(x|z) " + last.reconstructionSum());
    }

    @Test
    void oneReplicaAveragingEqualsLocalTrainingExactly() {
        Settings s = TestConfigs.small();
        TrainConfig tc = TestConfigs.train(s);
        VaeConfig mc = TestConfigs.model(s, 784);
        int rounds = 4;
        int k = tc.averagingFrequency();
        NamedArrays local = new LocalTrainer(tc).fit(mc, DATA, rounds * k).state().parameters();

        Vae model = Vae.initialise(mc, tc.seed());
        NamedArrays params = model.parameters();
        AdamState adam = AdamState.zeros(params);
        for (int r = 0; r < rounds; r++) {
            RoundResult partition = new PartitionTrainer(tc, DATA).run(Vae.withParameters(mc, params), params, adam, k);
            AveragingSum.Averaged avg = new AveragingSum().merge(new AveragingSum().add(partition)).mean();
            params = avg.parameters();
            adam = avg.adam();
        }
        assertTrue(local.identicalTo(params), "averaged one-replica run differs from local training");
        assertEquals(rounds * k, adam.step());
    }

    @Test
    void theSameSeedGivesTheSameParametersAndAnotherSeedDoesNot() {
        Settings s = TestConfigs.small();
        VaeConfig mc = TestConfigs.model(s, 784);
        NamedArrays a = new LocalTrainer(TestConfigs.train(s)).fit(mc, DATA, 6).state().parameters();
        NamedArrays b = new LocalTrainer(TestConfigs.train(s)).fit(mc, DATA, 6).state().parameters();
        NamedArrays c = new LocalTrainer(TestConfigs.train(s.with("train.seed=2"))).fit(mc, DATA, 6).state().parameters();
        assertTrue(a.identicalTo(b));
        assertFalse(a.identicalTo(c));
    }

    @Test
    void averagingSumAveragesParametersAndMomentsAndMergesInAnyOrder() {
        NamedArrays p1 = arrays(1f, 2f);
        NamedArrays p2 = arrays(3f, 6f);
        NamedArrays p3 = arrays(-1f, 0.5f);
        RoundResult r1 = new RoundResult(p1, new AdamState(p1, p2, 7), 10, -1000, -800, 200);
        RoundResult r2 = new RoundResult(p2, new AdamState(p2, p3, 7), 30, -2000, -1500, 500);
        RoundResult r3 = new RoundResult(p3, new AdamState(p3, p1, 7), 20, -600, -500, 100);
        AveragingSum.Averaged ab = new AveragingSum().add(r1).add(r2).merge(new AveragingSum().add(r3)).mean();
        AveragingSum.Averaged ba = new AveragingSum().add(r3).merge(new AveragingSum().add(r2).add(r1)).mean();
        assertTrue(ab.parameters().identicalTo(ba.parameters()));
        assertTrue(ab.adam().v().identicalTo(ba.adam().v()));
        assertEquals(1f, ab.parameters().values("w")[0], 1e-7);
        assertEquals((2f + 6f + 0.5f) / 3f, ab.parameters().values("w")[1], 1e-6);
        assertEquals((6f + 0.5f + 2f) / 3f, ab.adam().m().values("w")[1], 1e-6);
        assertEquals((6f + 0.5f + 2f) / 3f, ab.adam().v().values("w")[1], 1e-6);
        assertEquals(3, ab.replicas());
        assertEquals(60, ab.examples());
        assertEquals(-3600.0 / 60, ab.meanElbo(), 1e-12);
        assertEquals(-2800.0 / 60, ab.meanReconstruction(), 1e-12);
        assertEquals(800.0 / 60, ab.meanKl(), 1e-12);
        RoundResult noKl = new RoundResult(p1, new AdamState(p1, p2, 7), 10, -1000, -800, Double.NaN);
        assertTrue(Double.isNaN(new AveragingSum().add(r1).add(noKl).mean().meanKl()), "a replica without KL leaves the mean KL absent");
        assertEquals(7, ab.adam().step());
    }

    @Test
    void averagingSumKeepsTheSlowestAndMeanLocalTimeAcrossMerges() {
        NamedArrays p = arrays(1f, 2f);
        AdamState a = new AdamState(p, p, 3);
        AveragingSum left = new AveragingSum().add(new RoundResult(p, a, 1, 0, 0, 0, 0.5)).add(new RoundResult(p, a, 1, 0, 0, 0, 2.25));
        AveragingSum right = new AveragingSum().add(new RoundResult(p, a, 1, 0, 0, 0, 1.0));
        AveragingSum all = new AveragingSum().merge(right).merge(left);
        assertEquals(2.25, all.localSecondsMax(), 0);
        assertEquals((0.5 + 2.25 + 1.0) / 3, all.localSecondsMean(), 1e-15);
        assertEquals(0, new AveragingSum().localSecondsMean(), 0);
    }

    @Test
    void aOneReplicaSumTravelsAsFloatsAtHalfTheBytesAndAveragesIdentically() throws Exception {
        java.util.Random random = new java.util.Random(5);
        NamedArrays[] p = new NamedArrays[2];
        for (int r = 0; r < 2; r++) {
            float[] w = new float[20_000];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) random.nextGaussian() * 1e-3f;
            }
            p[r] = NamedArrays.builder().put("w", new long[]{w.length}, w).build();
        }
        RoundResult a = new RoundResult(p[0], new AdamState(p[1], p[0], 4), 10, -5, -4, 1, 0.25);
        RoundResult b = new RoundResult(p[1], new AdamState(p[0], p[1], 4), 10, -7, -5, 2, 0.5);
        byte[] one = serialize(new AveragingSum().add(a));
        byte[] two = serialize(new AveragingSum().add(a).add(b));
        assertTrue(one.length < 0.55 * two.length, one.length + " bytes for one replica vs " + two.length + " for two");
        AveragingSum.Averaged direct = new AveragingSum().add(a).merge(new AveragingSum().add(b)).mean();
        AveragingSum sent = deserialize(one).merge(deserialize(serialize(new AveragingSum().add(b))));
        AveragingSum.Averaged travelled = sent.mean();
        assertTrue(direct.parameters().identicalTo(travelled.parameters()));
        assertTrue(direct.adam().m().identicalTo(travelled.adam().m()));
        assertTrue(direct.adam().v().identicalTo(travelled.adam().v()));
        assertEquals(direct.meanElbo(), travelled.meanElbo(), 0);
        assertEquals(0.5, sent.localSecondsMax(), 0);
        AveragingSum.Averaged pair = deserialize(two).mean();
        assertTrue(direct.parameters().identicalTo(pair.parameters()), "a two-replica sum keeps its double sums");
    }

    private static byte[] serialize(AveragingSum sum) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(sum);
        }
        return bytes.toByteArray();
    }

    private static AveragingSum deserialize(byte[] bytes) throws Exception {
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return (AveragingSum) in.readObject();
        }
    }

    @Test
    void averagingSumRejectsMismatchedShapesAndSteps() {
        NamedArrays p = arrays(1f, 2f);
        NamedArrays other = NamedArrays.builder().put("w", new long[]{1, 2}, new float[]{1, 2}).build();
        AveragingSum sum = new AveragingSum().add(new RoundResult(p, new AdamState(p, p, 1), 1, 0));
        assertThrows(IllegalStateException.class, () -> sum.add(new RoundResult(other, new AdamState(other, other, 1), 1, 0)));
        assertThrows(IllegalStateException.class, () -> sum.add(new RoundResult(p, new AdamState(p, p, 2), 1, 0)));
        assertThrows(IllegalStateException.class, () -> new AveragingSum().mean());
    }

    @Test
    void batchScheduleVisitsEveryExampleOncePerEpochInASeededOrder() {
        BatchSchedule s = new BatchSchedule(3, 1, 45, 10);
        assertEquals(5, s.stepsPerEpoch());
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int t = 0; t < 5; t++) {
            for (int i : s.batch(t)) {
                assertTrue(seen.add(i), "row " + i + " twice in one epoch");
            }
        }
        assertEquals(45, seen.size());
        assertEquals(5, s.batch(4).length);
        assertNotEquals(java.util.Arrays.toString(s.batch(0)), java.util.Arrays.toString(s.batch(5)), "epochs must reshuffle");
        assertEquals(java.util.Arrays.toString(s.batch(7)), java.util.Arrays.toString(new BatchSchedule(3, 1, 45, 10).batch(7)));
    }

    @Test
    void adamMatchesTheAlgorithmInDoublePrecision() {
        TrainConfig tc = TestConfigs.train(TestConfigs.small("train.learning-rate=0.01"));
        NamedArrays p = NamedArrays.builder().put("w", new long[]{3}, new float[]{0.5f, -1f, 2f}).build();
        Adam adam = new Adam(tc, AdamState.zeros(p));
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> live = new java.util.LinkedHashMap<>(p.toNd4j());
        double[] w = {0.5, -1, 2};
        double[] m = new double[3];
        double[] v = new double[3];
        for (int t = 1; t <= 5; t++) {
            double[] g = {2 * w[0], Math.sin(w[1]), 0.1 * t};
            float[] gf = {(float) g[0], (float) g[1], (float) g[2]};
            adam.update(live, java.util.Map.of("w", org.nd4j.linalg.factory.Nd4j.create(gf, new long[]{3}, 'c')));
            for (int i = 0; i < 3; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(0.9, t));
                double vHat = v[i] / (1 - Math.pow(0.999, t));
                w[i] -= 0.01 * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(w[i], live.get("w").getDouble(i), 1e-5, "w[" + i + "]");
        }
        assertEquals(5, adam.state().step());
        assertEquals(m[2], adam.state().m().values("w")[2], 1e-6);
    }

    private static NamedArrays arrays(float a, float b) {
        return NamedArrays.builder().put("w", new long[]{2}, new float[]{a, b}).build();
    }
}
