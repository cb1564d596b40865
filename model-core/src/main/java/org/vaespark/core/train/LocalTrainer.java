package org.vaespark.core.train;

import org.vaespark.core.errors.Errors;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.prior.VampPrior;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Trains a VAE in one process on one {@link Shard}, with no averaging: the reference that a
 * one-partition Spark run must reproduce exactly, and the single-process benchmark. The shard is
 * the whole training set, so {@code train.labelled-per-class} is applied to it here.
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
        model.setParameters(VampPriorInit.initialiseFromData(modelConfig, model.parameters(), data, config.binarization(),
                config.seed()));
        return model;
    }

    /** Initialises the model ({@link #initialModel}) and takes {@code steps} Adam steps; the returned model holds the trained parameters. */
    public Result fit(VaeConfig modelConfig, Shard data, int steps) {
        NativeThreads.configure(config.threadsPerTask());
        Vae model = initialModel(modelConfig, config, data);
        NamedArrays init = model.parameters();
        Shard labelled = LabelledSubset.apply(data, checkLabelHiding(modelConfig, config));
        RoundResult r = new PartitionTrainer(config, labelled).run(model, init, AdamState.zeros(init), steps);
        model.setParameters(r.parameters());
        return new Result(model, r);
    }

    /** {@code train.labelled-per-class}, rejected unless the model is semi-supervised (a CVAE needs every label). */
    public static Integer checkLabelHiding(VaeConfig model, TrainConfig train) {
        if (train.labelledPerClass() != null && model.kind() != ModelKind.M2) {
            throw Errors.badConfigValue("train.labelled-per-class", train.labelledPerClass(),
                    "null with model.kind=" + model.kind().name().toLowerCase() + " (only m2 trains on hidden labels)");
        }
        return train.labelledPerClass();
    }
}
