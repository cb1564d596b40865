package org.vaespark.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.testing.TestConfigs;

/** Early stopping as Tomczak &amp; Welling's code runs it: best by validation ELBO, patience in epochs, warm-up not counted. */
class EarlyStoppingTest {

    private static EarlyStopping rule(int patience, int every, int warmup) {
        return new EarlyStopping(patience, every, warmup, "valid", null, 100);
    }

    @Test
    void stopsAfterMoreThanPatienceEpochsWithoutImprovementAndKeepsTheBest() {
        EarlyStopping.Tracker t = rule(2, 1, 0).tracker();
        assertTrue(t.observe(1, "c1", -100).improved());
        assertTrue(t.observe(2, "c2", -95).improved());
        EarlyStopping.Verdict v3 = t.observe(3, "c3", -96);
        assertFalse(v3.improved());
        assertEquals(1, v3.epochsWithoutImprovement());
        assertFalse(t.observe(4, "c4", -95).stop(), "equal is not better; 2 epochs are still within a patience of 2");
        EarlyStopping.Verdict v5 = t.observe(5, "c5", -97);
        assertTrue(v5.stop(), "3 epochs without improvement exceed a patience of 2");
        assertEquals("c2", v5.best());
        assertEquals(-95, v5.bestElbo());
        assertEquals(2, v5.bestEpoch());
        assertThrows(IllegalStateException.class, () -> t.observe(6, "c6", -90));
    }

    @Test
    void anImprovementResetsThePatienceAndSparseValidationsCountTheirEpochs() {
        EarlyStopping.Tracker t = rule(10, 5, 0).tracker();
        t.observe(5, "a", -100);
        assertEquals(5, t.observe(10, "b", -101).epochsWithoutImprovement());
        assertEquals(10, t.observe(15, "c", -101).epochsWithoutImprovement());
        assertEquals(0, t.observe(20, "d", -99).epochsWithoutImprovement());
        assertFalse(t.observe(30, "e", -99.5).stop());
        assertTrue(t.observe(35, "f", -99.5).stop(), "15 epochs > 10");
        assertEquals("d", t.best());
        assertEquals(20, rule(10, 5, 0).nextValidation(15, 100));
        assertEquals(23, rule(10, 5, 0).nextValidation(20, 23), "the last epoch is always validated");
    }

    @Test
    void epochsInsideTheWarmUpNeverCountAndANanValidationStops() {
        EarlyStopping.Tracker t = rule(1, 1, 10).tracker();
        t.observe(1, "a", -100);
        for (int e = 2; e < 10; e++) {
            assertFalse(t.observe(e, "w" + e, -120).stop(), "warm-up epoch " + e);
        }
        assertFalse(t.observe(10, "x", -120).stop());
        assertTrue(t.observe(11, "y", -120).stop());
        assertEquals("a", t.best());
        EarlyStopping.Tracker n = rule(5, 1, 0).tracker();
        assertTrue(n.observe(1, "nan", Double.NaN).stop());
        assertNull(n.best());
    }

    @Test
    void replayingTheSameValidationsGivesTheSameVerdicts() {
        double[] elbos = {-110, -100, -101, -99, -99.5, -99.2, -99.1};
        EarlyStopping.Tracker a = rule(2, 1, 0).tracker();
        EarlyStopping.Tracker b = rule(2, 1, 0).tracker();
        for (int i = 0; i < elbos.length && !a.stopped(); i++) {
            assertEquals(a.observe(i + 1, "c" + i, elbos[i]), b.observe(i + 1, "c" + i, elbos[i]));
        }
        assertTrue(a.stopped());
        assertEquals("c3", a.best());
    }

    @Test
    void readsItsKeysAndRejectsBadValuesByName() {
        EarlyStopping off = EarlyStopping.from(TestConfigs.small().config());
        assertFalse(off.enabled());
        EarlyStopping on = EarlyStopping.from(TestConfigs.small("train.early-stopping.patience-epochs=50",
                "model.objective.warmup-epochs=100").config());
        assertTrue(on.enabled());
        assertEquals(50, on.patienceEpochs());
        assertEquals(100, on.warmupEpochs());
        assertEquals("valid", on.split());
        VaeException e = assertThrows(VaeException.class, () -> EarlyStopping.from(TestConfigs.small(
                "train.early-stopping.patience-epochs=2", "train.early-stopping.every-epochs=5").config()));
        assertTrue(e.getMessage().contains("train.early-stopping.patience-epochs"), e.getMessage());
        assertThrows(VaeException.class, () -> rule(5, 0, 0));
    }
}
