package org.vaespark.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vaespark.core.eval.EvalConfig;

/** The examples evaluated are part of an evaluation's identity; a whole split keeps its old identity. */
class EvaluationKeyTest {
    private static final CheckpointRef REF = new CheckpointRef("run-a", "round-000100", "file:/runs/run-a/checkpoints/round-000100",
            100, "2026-01-01T00:00:00Z", "file:/data/binarized-mnist");

    private static EvaluationKey key(Integer maxExamples) {
        return EvaluationKey.of(REF, REF.dataset(), new EvalConfig(5000, 500, 4, 12345, "test", maxExamples), List.of());
    }

    @Test
    void aSubsetIsKeyedByHowItWasChosenSoAFirstNResultIsNeverReused() {
        assertEquals("hash-subset n=1000 seed=21", EvaluationKey.selection(new EvalConfig(5000, 500, 4, 12345, "test", 1000)));
        assertNotEquals("1000", EvaluationKey.selection(new EvalConfig(5000, 500, 4, 12345, "test", 1000)),
                "\"1000\" was the identity of the first 1,000 ids");
        assertNotEquals(key(1000), key(null));
        assertNotEquals(key(1000), key(2000));
        assertEquals(key(1000), key(1000));
    }

    @Test
    void theWholeSplitKeepsTheIdentityItHadBeforeSubsets() {
        assertEquals("null", EvaluationKey.selection(new EvalConfig(5000, 500, 4, 12345, "test", null)));
        // the path this evaluation had before subsets existed (SHA-256 of the same identity with "null")
        assertEquals("run-a/round-000100/test-k5000-ac105d25d71c", key(null).path());
    }
}
