package org.vaespark.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.TestConfigs;

/**
 * Burda et al.'s (2016, App. C) learning-rate schedule: stage boundaries at 1, 4, 13, ... 3280 epochs,
 * the rate at each stage, the config key, and both local-step paths taking the rate they are given.
 */
class LearningRateScheduleTest {

    @Test
    void burdaStagesLast3ToTheIEpochsAndDecayBy10ToTheMinusIOver7() {
        // stage i starts at (3^i - 1) / 2 epochs: 0, 1, 4, 13, 40, 121, 364, 1093 and the schedule ends at 3280
        long[] starts = {0, 1, 4, 13, 40, 121, 364, 1093};
        for (int i = 0; i < starts.length; i++) {
            assertEquals(i, LearningRateSchedule.burdaStage(starts[i]), "start of stage " + i);
            assertEquals(Math.max(0, i - 1), LearningRateSchedule.burdaStage(starts[i] - 1e-9), "just before stage " + i);
            assertEquals(0.001 * Math.pow(10, -i / 7.0), LearningRateSchedule.BURDA.rate(0.001, starts[i] + 0.5), 1e-15, "rate of stage " + i);
        }
        long total = 0;
        for (int i = 0; i < LearningRateSchedule.BURDA_STAGES; i++) {
            total += (long) Math.pow(3, i);
        }
        assertEquals(LearningRateSchedule.BURDA_EPOCHS, total);
        assertEquals(7, LearningRateSchedule.burdaStage(3279.99));
        assertEquals(7, LearningRateSchedule.burdaStage(5000), "past the protocol the last rate stays");
        assertEquals(1e-4, LearningRateSchedule.BURDA.rate(0.001, 3000), 1e-16, "stage 7: 0.001 x 10^-1");
        assertEquals(0.001, LearningRateSchedule.CONSTANT.rate(0.001, 3000));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.BURDA.rate(0.001, -1));
    }

    @Test
    void theConfigKeySelectsTheScheduleAndRejectsUnknownOnesByName() {
        TrainConfig constant = TestConfigs.train(TestConfigs.small());
        assertEquals(LearningRateSchedule.CONSTANT, constant.learningRateSchedule());
        assertEquals(constant.learningRate(), constant.learningRateAt(2000));
        TrainConfig burda = TestConfigs.train(TestConfigs.small("train.learning-rate-schedule=burda", "train.learning-rate=0.001"));
        assertEquals(0.001, burda.learningRateAt(0.99));
        assertEquals(0.001 * Math.pow(10, -1 / 7.0), burda.learningRateAt(1.0), 1e-15);
        VaeException e = assertThrows(VaeException.class,
                () -> TestConfigs.train(TestConfigs.small("train.learning-rate-schedule=cosine")));
        assertTrue(e.getMessage().contains("train.learning-rate-schedule") && e.getMessage().contains("burda"), e.getMessage());
        VaeException dl4j = assertThrows(VaeException.class,
                () -> TestConfigs.train(TestConfigs.small("train.learning-rate-schedule=burda", "train.engine=dl4j")));
        assertTrue(dl4j.getMessage().contains("constant"), dl4j.getMessage());
    }

    @Test
    void bothLocalStepPathsTakeTheRateTheyAreGivenAndRefuseAScheduleWithoutOne() {
        Settings base = TestConfigs.small("train.learning-rate=0.003");
        VaeConfig mc = TestConfigs.model(base, 784);
        TrainConfig constant = TestConfigs.train(base);
        TrainConfig scheduled = TestConfigs.train(base.with("train.learning-rate=0.05", "train.learning-rate-schedule=burda"));
        NamedArrays start = Vae.initialise(mc, constant.seed()).parameters();
        BiFunction<TrainConfig, Boolean, LocalSteps> graph = (tc, unused) ->
                new GraphSteps(Vae.withParameters(mc, start), start, tc, AdamState.zeros(start));
        BiFunction<TrainConfig, Boolean, LocalSteps> dense = (tc, unused) ->
                new DenseSteps(Vae.withParameters(mc, start), start, tc, AdamState.zeros(start), 1);
        for (BiFunction<TrainConfig, Boolean, LocalSteps> path : java.util.List.of(graph, dense)) {
            float[] atBase;
            try (LocalSteps steps = path.apply(constant, true)) {
                atBase = takeSteps(steps, mc, null);
            }
            float[] atSetRate;
            try (LocalSteps steps = path.apply(scheduled, true)) {
                atSetRate = takeSteps(steps, mc, 0.003);
            }
            assertArrayEquals(atBase, atSetRate, "a set rate of 0.003 trains exactly as train.learning-rate=0.003");
            try (LocalSteps steps = path.apply(scheduled, true)) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> takeSteps(steps, mc, null));
                assertTrue(e.getMessage().contains("learningRateAt"), e.getMessage());
            }
        }
    }

    /** Three steps on fixed random batches; sets {@code rate} first unless null; returns the packed state. */
    private static float[] takeSteps(LocalSteps steps, VaeConfig mc, Double rate) {
        if (rate != null) {
            if (steps instanceof GraphSteps g) {
                g.learningRate(rate);
            } else {
                ((DenseSteps) steps).learningRate(rate);
            }
        }
        int batch = 8;
        SplittableRandom rng = new SplittableRandom(7);
        for (int t = 0; t < 3; t++) {
            float[] x = new float[batch * 784];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextInt(4) == 0 ? 1f : 0f;
            }
            float[] eps = new float[batch * mc.noiseDim()];
            for (int i = 0; i < eps.length; i++) {
                eps[i] = (float) rng.nextGaussian();
            }
            long[] ids = new long[batch];
            for (int i = 0; i < batch; i++) {
                ids[i] = i;
            }
            steps.step(x, eps, batch, 1.0, ids, new int[batch]);
        }
        return steps.pack().clone();
    }
}
