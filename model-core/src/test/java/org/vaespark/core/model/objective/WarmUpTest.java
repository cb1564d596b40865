package org.vaespark.core.model.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.ObjectiveSpec;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;

/** The KL weight: beta-VAE (Higgins et al. 2017) and its linear warm-up (Sønderby et al. 2016). */
class WarmUpTest {

    @Test
    void betaRisesLinearlyToItsValueOverTheWarmUp() {
        ObjectiveSpec o = ObjectiveSpec.from(TestConfigs.small("model.beta=0.5", "model.objective.warmup-epochs=2").config());
        assertEquals(0.0, o.betaAt(0), 0);
        assertEquals(0.125, o.betaAt(0.5), 1e-15);
        assertEquals(0.25, o.betaAt(1), 1e-15);
        assertEquals(0.5, o.betaAt(2), 0);
        assertEquals(0.5, o.betaAt(7.3), 0);
        assertEquals(0.5, ObjectiveSpec.from(TestConfigs.small("model.beta=0.5").config()).betaAt(0), 0);
    }

    @Test
    void theFedBetaWeightsTheKl() {
        ObjectiveFixture f = new ObjectiveFixture(5, 3, "model.objective.warmup-epochs=1");
        double minusLogPx = -ObjectiveFixture.mean(f.rows(VaeNames.LOG_PX_Z));
        double kl = Arrays.stream(f.klPerDimension()).sum();
        assertEquals(minusLogPx, f.loss(0.0), 1e-9 * minusLogPx);
        assertEquals(minusLogPx + 0.3 * kl, f.loss(0.3), 1e-9 * minusLogPx);
        assertEquals(minusLogPx + kl, f.loss(1.0), 1e-9 * minusLogPx);
    }

    @Test
    void theTrainerFeedsTheWarmUpWeight() {
        Shard data = MnistRows.binarized("train", 40, 0);
        NamedArrays warm = oneStep(data, "model.objective.warmup-epochs=1");
        NamedArrays zero = oneStep(data, "model.beta=0");
        NamedArrays full = oneStep(data);
        // At step 0 the warm-up weight is 0: the same update as beta = 0, not the one of beta = 1.
        for (String name : warm.names()) {
            assertArrayEquals(zero.toNd4j(name).dup().data().asFloat(), warm.toNd4j(name).dup().data().asFloat(), 1e-7f, name);
        }
        assertFalse(Arrays.equals(full.toNd4j(VaeNames.ENC_LOGVAR_B).dup().data().asFloat(),
                warm.toNd4j(VaeNames.ENC_LOGVAR_B).dup().data().asFloat()));
    }

    private static NamedArrays oneStep(Shard data, String... overrides) {
        Settings s = TestConfigs.small(overrides);
        VaeConfig mc = TestConfigs.model(s, 784);
        TrainConfig tc = TestConfigs.train(s);
        Vae model = Vae.initialise(mc, tc.seed());
        NamedArrays p = model.parameters();
        RoundResult r = new PartitionTrainer(tc, data).run(model, p, AdamState.zeros(p), 1);
        return r.parameters();
    }
}
