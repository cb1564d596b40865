package org.vaespark.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.errors.Secrets;
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

    @Test
    void sparkArgumentsAreKeptApartForTheSessionAndNeverWritten() {
        Settings s = Settings.load(List.of(), List.of("train.epochs=2", "spark.speculation=true",
                "spark.speculation.multiplier=2", "spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000",
                "spark.hadoop.fs.s3a.secret.key=SECRET-arg-0123"));
        assertEquals(2, TrainConfig.from(s.config()).epochs());
        assertEquals(Map.of("spark.speculation", "true", "spark.speculation.multiplier", "2",
                "spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000", "spark.hadoop.fs.s3a.secret.key", "SECRET-arg-0123"), s.spark());
        assertFalse(s.toJson().contains("speculation") || s.toJson().contains("SECRET"), s.toJson());
        assertTrue(s.describeSpark().contains("spark.hadoop.fs.s3a.secret.key=***"), s.describeSpark());
        assertFalse(s.describeSpark().contains("SECRET"), s.describeSpark());
        assertEquals(s.spark(), s.with("train.epochs=2").spark());
    }

    @Test
    void noMessageRepeatsTheValueOfASecretKey() throws IOException {
        String secret = "SECRET-value-4711";
        for (String key : List.of("storage.secret-key", "db.password", "api.token", "s3.credentials", "fs.s3a.access.key",
                "aws.accessKey", "aws.access-key")) {
            VaeException unknown = assertThrows(VaeException.class, () -> Settings.defaults(key + "=" + secret));
            assertFalse(unknown.getMessage().contains(secret), unknown.getMessage());
            assertTrue(unknown.getMessage().contains(key + "=***"), unknown.getMessage());
            // a value HOCON cannot parse is never quoted either
            VaeException unparsable = assertThrows(VaeException.class, () -> Settings.defaults(key + "=[" + secret));
            assertFalse(unparsable.getMessage().contains(secret), unparsable.getMessage());
        }
        VaeException bad = Errors.badConfigValue("storage.password", secret, "a string of 8 characters");
        assertFalse(bad.getMessage().contains(secret), bad.getMessage());
        assertTrue(bad.getMessage().contains("storage.password"), bad.getMessage());
        Path file = dir.resolve("secret.conf");
        Files.writeString(file, "storage {\n  password = \"" + secret + "\"\n}\n");
        VaeException fromFile = assertThrows(VaeException.class, () -> Settings.load(List.of(file.toString()), List.of()));
        assertFalse(fromFile.getMessage().contains(secret), fromFile.getMessage());
        assertTrue(fromFile.getMessage().contains("secret.conf: 2"), fromFile.getMessage());
        assertEquals("error: spark.hadoop.fs.s3a.secret.key=*** and --token=*** but train.epochs=5",
                Secrets.maskText("error: spark.hadoop.fs.s3a.secret.key=" + secret + " and --token=" + secret + " but train.epochs=5"));
        assertFalse(Secrets.isSecretKey("train.epochs") || Secrets.isSecretKey("data.path"));
    }

    @Test
    void systemPropertiesReachNoWrittenSettings() {
        String secret = "SECRET-sysprop-0815";
        System.setProperty("spark.hadoop.fs.s3a.secret.key", secret);
        System.setProperty("vae.api.token", secret);
        System.setProperty("train.epochs", "3");
        ConfigFactory.invalidateCaches();
        try {
            Settings s = Settings.defaults();
            assertFalse(s.toJson().contains(secret), s.toJson());
            assertFalse(s.toJson().contains("java.home"), "system properties are not settings");
            assertEquals(3, TrainConfig.from(s.config()).epochs(), "a -D of a known key still overrides its default");
            VaeException e = assertThrows(VaeException.class, () -> Settings.defaults("java.home=/tmp"));
            assertTrue(e.getMessage().contains("unknown configuration key 'java.home'"), e.getMessage());
        } finally {
            System.clearProperty("spark.hadoop.fs.s3a.secret.key");
            System.clearProperty("vae.api.token");
            System.clearProperty("train.epochs");
            ConfigFactory.invalidateCaches();
        }
    }
}
