package org.vaespark.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.source.SourceKind;

class PrepareConfigTest {
    private static PrepareConfig from(String... overrides) {
        return PrepareConfig.from(Settings.defaults(overrides).config());
    }

    private static void rejects(String key, String... overrides) {
        VaeException e = assertThrows(VaeException.class, () -> from(overrides));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void defaultsWithTheRequiredKeys() {
        PrepareConfig c = from("prepare.source=mnist", "prepare.input=/data/raw/mnist", "prepare.output=s3a://b/mnist");
        assertEquals(SourceKind.MNIST, c.source());
        assertEquals("/data/raw/mnist", c.input());
        assertEquals("s3a://b/mnist", c.output());
        assertEquals(0, c.validationSize());
        assertFalse(c.overwrite());
    }

    @Test
    void allKeysCanBeSet() {
        PrepareConfig c = from("prepare.source=binarized-mnist", "prepare.input=in", "prepare.output=out",
                "prepare.overwrite=true");
        assertEquals(SourceKind.BINARIZED_MNIST, c.source());
        assertTrue(c.overwrite());
        assertEquals(10000, from("prepare.source=mnist", "prepare.input=in", "prepare.output=out",
                "prepare.validation-size=10000").validationSize());
    }

    @Test
    void requiredKeysAreNamedWhenMissing() {
        rejects("prepare.source", "prepare.input=in", "prepare.output=out");
        rejects("prepare.input", "prepare.source=mnist", "prepare.output=out");
        rejects("prepare.output", "prepare.source=mnist", "prepare.input=in");
    }

    @Test
    void badValuesAreNamed() {
        rejects("binarized-mnist", "prepare.source=cifar10", "prepare.input=in", "prepare.output=out");
        rejects("prepare.validation-size", "prepare.source=mnist", "prepare.input=in", "prepare.output=out",
                "prepare.validation-size=-1");
        rejects("prepare.validation-size", "prepare.source=binarized-mnist", "prepare.input=in", "prepare.output=out",
                "prepare.validation-size=5");
        rejects("prepare.overwrite", "prepare.source=mnist", "prepare.input=in", "prepare.output=out",
                "prepare.overwrite=maybe");
        rejects("prepare.sorce", "prepare.sorce=mnist");
    }
}
