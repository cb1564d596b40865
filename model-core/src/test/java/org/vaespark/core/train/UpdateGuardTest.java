package org.vaespark.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.TestConfigs;

/** Skipping non-finite or too large averaged updates (VDVAE's skip rule) and counting the skips. */
class UpdateGuardTest {
    private static final NamedArrays BEFORE = arrays(new float[]{1, 2}, new float[]{0.5f, -1, 3});

    @Test
    void normIsTheL2NormOfTheDifferenceOverEveryParameter() {
        // update (3, 4) in a and (0, 0, 12) in b: sqrt(9 + 16 + 144) = 13
        NamedArrays after = arrays(new float[]{4, 6}, new float[]{0.5f, -1, 15});
        assertEquals(13.0, UpdateGuard.updateNorm(BEFORE, after), 1e-12);
        assertEquals(0.0, UpdateGuard.updateNorm(BEFORE, BEFORE), 0.0);
    }

    @Test
    void nonFiniteUpdatesAndElbosAreSkippedEvenWithoutABound() {
        UpdateGuard g = new UpdateGuard(null, 5, 0, 0);
        UpdateGuard.Verdict nan = g.judge(BEFORE, arrays(new float[]{Float.NaN, 2}, new float[]{0, 0, 0}), -100);
        assertTrue(nan.skip());
        assertTrue(Double.isNaN(nan.norm()));
        assertTrue(nan.reason().contains("not finite"), nan.reason());
        UpdateGuard.Verdict inf = g.judge(BEFORE, arrays(new float[]{1, 2}, new float[]{0, Float.NEGATIVE_INFINITY, 0}), -100);
        assertTrue(inf.skip());
        assertEquals(Double.POSITIVE_INFINITY, inf.norm());
        UpdateGuard.Verdict badElbo = g.judge(BEFORE, BEFORE, Double.NaN);
        assertTrue(badElbo.skip());
        assertTrue(badElbo.reason().contains("ELBO"), badElbo.reason());
        assertEquals(3, g.skippedTotal());
        assertEquals(3, g.consecutive());
        UpdateGuard.Verdict huge = g.judge(BEFORE, arrays(new float[]{1e30f, 2}, new float[]{0.5f, -1, 3}), -100);
        assertFalse(huge.skip(), "no bound: any finite update is applied");
        assertNull(huge.reason());
        assertEquals(0, g.consecutive());
        assertEquals(3, g.skippedTotal());
    }

    @Test
    void updatesAboveTheBoundAreSkippedAndAGoodRoundResetsTheRun() {
        UpdateGuard g = new UpdateGuard(12.5, 3, 0, 0);
        NamedArrays norm13 = arrays(new float[]{4, 6}, new float[]{0.5f, -1, 15});
        NamedArrays norm5 = arrays(new float[]{4, 6}, new float[]{0.5f, -1, 3});
        assertTrue(g.judge(BEFORE, norm13, -90).skip());
        assertTrue(g.judge(BEFORE, norm13, -90).reason().contains("train.max-update-norm=12.5"));
        assertFalse(g.exhausted());
        assertFalse(g.judge(BEFORE, norm5, -90).skip(), "norm 5 is under the bound");
        assertEquals(0, g.consecutive());
        g.judge(BEFORE, norm13, -90);
        g.judge(BEFORE, norm13, -90);
        assertFalse(g.exhausted());
        g.judge(BEFORE, norm13, -90);
        assertTrue(g.exhausted(), "three in a row");
        assertEquals(5, g.skippedTotal());
    }

    @Test
    void aResumedGuardContinuesTheCountsItWasGiven() {
        UpdateGuard g = new UpdateGuard(1.0, 3, 7, 2);
        g.judge(BEFORE, arrays(new float[]{4, 6}, new float[]{0.5f, -1, 3}), -90);
        assertTrue(g.exhausted());
        assertEquals(8, g.skippedTotal());
    }

    @Test
    void configKeysAreTypedAndChecked() {
        TrainConfig defaults = TestConfigs.train(TestConfigs.small());
        assertNull(defaults.maxUpdateNorm());
        assertEquals(5, defaults.maxConsecutiveSkips());
        TrainConfig set = TestConfigs.train(TestConfigs.small("train.max-update-norm=2.5", "train.max-consecutive-skips=2"));
        assertEquals(2.5, set.maxUpdateNorm());
        assertEquals(2, set.maxConsecutiveSkips());
        VaeException e = assertThrows(VaeException.class, () -> TestConfigs.train(TestConfigs.small("train.max-update-norm=0")));
        assertTrue(e.getMessage().contains("train.max-update-norm"), e.getMessage());
        e = assertThrows(VaeException.class, () -> TestConfigs.train(TestConfigs.small("train.max-consecutive-skips=0")));
        assertTrue(e.getMessage().contains("train.max-consecutive-skips"), e.getMessage());
    }

    private static NamedArrays arrays(float[] a, float[] b) {
        return NamedArrays.builder().put("a", new long[]{2}, a).put("b", new long[]{3}, b).build();
    }
}
