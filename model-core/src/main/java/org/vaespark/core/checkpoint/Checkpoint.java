package org.vaespark.core.checkpoint;

import org.vaespark.core.config.Settings;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.TrainConfig;

/** A training state: metadata, parameters and Adam state. See {@link CheckpointIO} for the layout. */
public record Checkpoint(CheckpointMetadata metadata, NamedArrays parameters, AdamState adam) {

    /** The settings stored in the checkpoint. */
    public Settings settings() {
        return Settings.fromJson(metadata.settings(), "metadata.json of checkpoint at round " + metadata.round());
    }

    /** The model configuration rebuilt from the stored settings. */
    public VaeConfig modelConfig() {
        return VaeConfig.from(settings().config(), metadata.imageShape());
    }

    public TrainConfig trainConfig() {
        return TrainConfig.from(settings().config());
    }
}
