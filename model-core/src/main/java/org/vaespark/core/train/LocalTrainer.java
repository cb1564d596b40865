package org.vaespark.core.train;

import org.vaespark.core.model.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.prior.VampPrior;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Trains a VAE in one process on one {@link Shard}, with no averaging: the reference that a
 * one-partition Spark run must reproduce exactly, and the single-process benchmark.
 */
public final class LocalTrainer {
    private final TrainConfig config;

    public LocalTrainer(TrainConfig config) {
        this.config = config;
    }

    /** The trained model and its final state. */
    public record Result(Vae model, RoundResult state) {
    }

    /**
     * The model training starts from: seeded parameters, plus whatever the configuration
     * initialises from the training data (VampPrior pseudo-inputs chosen from {@code data}).
     */
    public static Vae initialModel(VaeConfig modelConfig, TrainConfig config, Shard data) {
        Vae model = Vae.initialise(modelConfig, config.seed());
        model.setParameters(VampPrior.initialiseFromData(modelConfig, model.parameters(), data, config.binarization(),
                config.seed()));
        return model;
    }

    /** Initialises the model ({@link #initialModel}) and takes {@code steps} Adam steps. */
    public Result fit(VaeConfig modelConfig, Shard data, int steps) {
        NativeThreads.configure(config.threadsPerTask());
        Vae model = initialModel(modelConfig, config, data);
        NamedArrays init = model.parameters();
        RoundResult r = new PartitionTrainer(config, data).run(model, init, AdamState.zeros(init), steps);
        return new Result(model, r);
    }
}
