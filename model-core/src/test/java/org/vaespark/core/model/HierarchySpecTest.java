package org.vaespark.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;

/**
 * {@code model.hierarchy.*}: the K layer sizes from {@code latent-dims}, the old two-layer keys as aliases, and a
 * clear error when old and new disagree.
 */
class HierarchySpecTest {
    private static VaeConfig config(String... overrides) {
        Settings s = Settings.defaults("model.kind=hvae").with(overrides);
        return VaeConfig.from(s.config(), 784);
    }

    @Test
    void oldKeysGiveTheTwoLayerTopDownModel() {
        VaeConfig c = config("model.latent-dim=7", "model.hierarchy.top-latent-dim=3", "model.hierarchy.hidden=[16]");
        HierarchySpec h = c.structure().hierarchy();
        assertEquals(List.of(7, 3), h.latentDims());
        assertEquals(HierarchyInference.TOP_DOWN, h.inference());
        assertFalse(h.markovian());
        assertEquals(7, c.latentDim());
        assertEquals(3, c.priorDim());
        assertEquals(10, c.noiseDim());
        assertEquals(List.of(16), c.structure().hierarchyHidden());
        assertEquals("HVAE mlp 784-300-300-7/3 relu bernoulli", c.describe());
    }

    @Test
    void theNewKeyGivesTheSameConfigAsTheOldOnes() {
        VaeConfig old = config("model.latent-dim=7", "model.hierarchy.top-latent-dim=3");
        VaeConfig now = config("model.hierarchy.latent-dims=[7, 3]");
        assertEquals(old, now);
        assertEquals(old, config("model.hierarchy.latent-dims=[7, 3]", "model.hierarchy.top-latent-dim=3",
                "model.latent-dim=7"));
    }

    @Test
    void latentDimsSetsEveryLayerBottomToTop() {
        VaeConfig c = config("model.hierarchy.latent-dims=[5, 4, 3]", "model.hierarchy.inference=bidirectional",
                "model.hierarchy.markovian=true");
        HierarchySpec h = c.structure().hierarchy();
        assertEquals(3, h.layers());
        assertEquals(5, c.latentDim());
        assertEquals(3, c.priorDim());
        assertEquals(12, c.noiseDim());
        assertEquals(0, h.noiseOffset(3));
        assertEquals(3, h.noiseOffset(2));
        assertEquals(7, h.noiseOffset(1));
        assertEquals(List.of(2), h.parents(1));
        assertEquals(HierarchyInference.BIDIRECTIONAL, h.inference());
        assertTrue(h.markovian());
        assertEquals(List.of(2, 3), config("model.hierarchy.latent-dims=[5, 4, 3]").structure().hierarchy().parents(1));
        assertTrue(c.describe().contains("5/4/3 bidirectional markovian"), c.describe());
    }

    @Test
    void anOldTopSizeThatDisagreesWithLatentDimsIsAnError() {
        VaeException e = assertThrows(VaeException.class,
                () -> config("model.hierarchy.latent-dims=[7, 3]", "model.hierarchy.top-latent-dim=4"));
        assertTrue(e.getMessage().contains("model.hierarchy.top-latent-dim") && e.getMessage().contains("[7, 3]"),
                e.getMessage());
    }

    @Test
    void badHierarchiesAreErrorsNamingTheKey() {
        VaeException one = assertThrows(VaeException.class, () -> config("model.hierarchy.latent-dims=[7]"));
        assertTrue(one.getMessage().contains("model.hierarchy.latent-dims"), one.getMessage());
        VaeException inference = assertThrows(VaeException.class, () -> config("model.hierarchy.inference=sideways"));
        assertTrue(inference.getMessage().contains("bottom-up"), inference.getMessage());
        VaeException vamp = assertThrows(VaeException.class, () -> config("model.hierarchy.inference=bottom-up",
                "model.prior.kind=vamp"));
        assertTrue(vamp.getMessage().contains("model.prior.kind"), vamp.getMessage());
    }
}
