package org.vaespark.core.model.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.testing.TestConfigs;

/** Free bits (Kingma et al. 2016): the KL term sum_g max(lambda, KL_g) against per-group KLs computed here. */
class FreeBitsTest {
    private static final double BETA = 0.7;

    @Test
    void aLambdaAboveEveryGroupKlLeavesOnlyTheReconstructionGradient() {
        ObjectiveFixture free = new ObjectiveFixture(5, 2, "model.objective.free-bits=1000", "model.objective.free-bits-groups=2");
        ObjectiveFixture plain = new ObjectiveFixture(5, 2);
        double minusLogPx = -ObjectiveFixture.mean(plain.rows(VaeNames.LOG_PX_Z));
        assertEquals(minusLogPx + BETA * 2 * 1000, free.loss(BETA), 1e-9 * 1400);
        Map<String, INDArray> g = free.gradients(BETA);
        Map<String, INDArray> reconstructionOnly = plain.gradients(0.0);
        Map<String, INDArray> withKl = plain.gradients(BETA);
        for (String name : new String[]{VaeNames.ENC_LOGVAR_W, VaeNames.ENC_LOGVAR_B, VaeNames.ENC_MU_W}) {
            double[] a = g.get(name).dup().data().asDouble();
            double[] b = reconstructionOnly.get(name).dup().data().asDouble();
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-10 * (1 + Math.abs(b[i])), name + "[" + i + "]");
            }
        }
        // ... while without free bits the KL does move the logvar head.
        assertTrue(withKl.get(VaeNames.ENC_LOGVAR_B).sub(reconstructionOnly.get(VaeNames.ENC_LOGVAR_B)).norm2Number().doubleValue() > 1e-3);
    }

    @Test
    void theKlTermIsTheSumOfHingedGroupKls() {
        double[] perDim = new ObjectiveFixture(5, 2).klPerDimension();
        double group0 = perDim[0] + perDim[1];
        double group1 = perDim[2] + perDim[3];
        assertTrue(Math.abs(group0 - group1) > 1e-3, "the test needs two different group KLs: " + group0 + ", " + group1);
        double lambda = 0.5 * (group0 + group1);    // one group below lambda, one above
        ObjectiveFixture free = new ObjectiveFixture(5, 2, "model.objective.free-bits=" + lambda, "model.objective.free-bits-groups=2");
        double expected = -ObjectiveFixture.mean(free.rows(VaeNames.LOG_PX_Z))
                + BETA * (Math.max(lambda, group0) + Math.max(lambda, group1));
        assertEquals(expected, free.loss(BETA), 1e-9 * Math.abs(expected));
        // Four groups of one latent each.
        double small = 0.5 * perDim[0];
        ObjectiveFixture four = new ObjectiveFixture(5, 2, "model.objective.free-bits=" + small, "model.objective.free-bits-groups=4");
        double kl4 = 0;
        for (double k : perDim) {
            kl4 += Math.max(small, k);
        }
        double expected4 = -ObjectiveFixture.mean(four.rows(VaeNames.LOG_PX_Z)) + BETA * kl4;
        assertEquals(expected4, four.loss(BETA), 1e-9 * Math.abs(expected4));
    }

    @Test
    void aLambdaBelowTheKlIsTheElbo() {
        ObjectiveFixture plain = new ObjectiveFixture(5, 2);
        double kl = 0;
        for (double k : plain.klPerDimension()) {
            kl += k;
        }
        ObjectiveFixture free = new ObjectiveFixture(5, 2, "model.objective.free-bits=1e-6");
        double expected = -ObjectiveFixture.mean(free.rows(VaeNames.LOG_PX_Z)) + BETA * kl;
        assertEquals(expected, free.loss(BETA), 1e-9 * Math.abs(expected));
        assertEquals(plain.loss(BETA), free.loss(BETA), 1e-9 * Math.abs(expected));
    }

    @Test
    void groupsMustDivideTheLatentsAndSplitOnlyAnAnalyticKl() {
        VaeException divide = assertThrows(VaeException.class, () -> TestConfigs.model(
                TestConfigs.small("model.objective.free-bits=0.5", "model.objective.free-bits-groups=3"), 784));
        assertTrue(divide.getMessage().contains("model.objective.free-bits-groups") && divide.getMessage().contains("4"),
                divide.getMessage());
        VaeException mc = assertThrows(VaeException.class, () -> TestConfigs.model(TestConfigs.small(
                "model.objective.free-bits=0.5", "model.objective.free-bits-groups=2", "model.prior.kind=mog"), 784));
        assertTrue(mc.getMessage().contains("model.objective.free-bits-groups") && mc.getMessage().contains("closed form"),
                mc.getMessage());
    }
}
