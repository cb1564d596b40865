package org.vaespark.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.Likelihood;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.train.TrainConfig;

/** Layered configuration: defaults, files, overrides, unknown keys and invalid values. */
class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void filesAndOverridesLayerOverTheDefaults() throws IOException {
        Path model = dir.resolve("model.conf");
        Files.writeString(model, "model.latent-dim = 20\nmodel.likelihood = gaussian\n");
        Path exp = dir.resolve("exp.conf");
        Files.writeString(exp, "include \"model.conf\"\ntrain.epochs = 3\n");
        Settings s = Settings.load(List.of(exp.toString()), List.of("train.epochs=7", "model.encoder.hidden=[10,5]"));
        VaeConfig m = VaeConfig.from(s.config(), 784);
        assertEquals(20, m.latentDim());
        assertEquals(Likelihood.GAUSSIAN, m.likelihood());
        assertEquals(List.of(10, 5), m.encoderHidden());
        assertEquals(7, TrainConfig.from(s.config()).epochs());
        assertEquals(100, TrainConfig.from(s.config()).batchSize());
    }

    @Test
    void unknownKeysAreRejectedWithTheKeyTheFileAndASuggestion() throws IOException {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "model {\n  latent-dims = 20\n}\n");
        VaeException e = assertThrows(VaeException.class, () -> Settings.load(List.of(bad.toString()), List.of()));
        assertTrue(e.getMessage().contains("'model.latent-dims'"), e.getMessage());
        assertTrue(e.getMessage().contains("bad.conf"), e.getMessage());
        assertTrue(e.getMessage().contains("model.latent-dim"), e.getMessage());
        VaeException o = assertThrows(VaeException.class, () -> Settings.defaults("train.epoch=3"));
        assertTrue(o.getMessage().contains("'train.epoch'"), o.getMessage());
    }

    @Test
    void invalidValuesNameTheKeyAndWhatIsAllowed() {
        VaeException a = assertThrows(VaeException.class, () -> VaeConfig.from(Settings.defaults("model.likelihood=poisson").config(), 784));
        assertTrue(a.getMessage().contains("model.likelihood") && a.getMessage().contains("bernoulli"), a.getMessage());
        VaeException b = assertThrows(VaeException.class, () -> TrainConfig.from(Settings.defaults("train.batch-size=0").config()));
        assertTrue(b.getMessage().contains("train.batch-size") && b.getMessage().contains("> 0"), b.getMessage());
        VaeException c = assertThrows(VaeException.class, () -> TrainConfig.from(Settings.defaults("train.learning-rate=fast").config()));
        assertTrue(c.getMessage().contains("train.learning-rate"), c.getMessage());
        VaeException d = assertThrows(VaeException.class, () -> VaeConfig.from(Settings.defaults("model.encoder.hidden=[300,-1]").config(), 784));
        assertTrue(d.getMessage().contains("model.encoder.hidden"), d.getMessage());
        assertThrows(VaeException.class, () -> Settings.defaults("no-equals-sign"));
    }

    @Test
    void settingsRoundTripThroughJson() {
        Settings s = Settings.defaults("model.latent-dim=7", "data.path=s3a://bucket/data/mnist");
        Settings back = Settings.fromJson(s.toJson(), "test");
        assertEquals(7, back.config().getInt("model.latent-dim"));
        assertEquals("s3a://bucket/data/mnist", back.config().getString("data.path"));
    }
}
