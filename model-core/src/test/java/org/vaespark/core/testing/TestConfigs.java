package org.vaespark.core.testing;

import org.vaespark.core.config.Settings;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.train.TrainConfig;

/** Small configurations shared by the test battery. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static Settings small(String... overrides) {
        Settings base = Settings.defaults("model.encoder.hidden=[32]", "model.decoder.hidden=[32]", "model.latent-dim=4",
                "train.batch-size=20", "train.averaging-frequency=3", "train.learning-rate=0.003");
        return base.with(overrides);
    }

    public static VaeConfig model(Settings s, int inputDim) {
        return VaeConfig.from(s.config(), inputDim);
    }

    public static TrainConfig train(Settings s) {
        return TrainConfig.from(s.config());
    }
}
