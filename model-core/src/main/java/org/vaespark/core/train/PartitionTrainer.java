package org.vaespark.core.train;

import org.vaespark.core.cpu.ExecutorChoice;

import org.vaespark.core.optim.AdamState;
import org.vaespark.core.samediff.Labels;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Runs local Adam steps of a VAE on one {@link Shard}: the unit of work of both the local
 * trainer and a Spark partition's share of an averaging round. Batches come from
 * {@link BatchSchedule}, noise and dynamic binarization from {@link NoiseSource}, all pure
 * functions of (seed, partition, step), so the same inputs always give the same result.
 * Conditional and semi-supervised models are fed the shard's labels ({@link Labels}). The reference
 * family trains on the dense path ({@link DenseSteps}), every other model through its graph
 * ({@link GraphSteps}); both see the same batches and noise.
 */
public final class PartitionTrainer {
    /** The noise stream of training steps: eps of example id in epoch e is drawn from derive(TRAIN_NOISE, e). */
    public static final long TRAIN_NOISE = 0x7EA1L;

    private final TrainConfig config;
    private final Shard shard;
    private final BatchSchedule schedule;

    /** A trainer on the executor {@code config.backend()} picks ({@link ExecutorChoice}). */
    public PartitionTrainer(TrainConfig config, Shard shard) {
        this.config = config;
        this.shard = shard;
        this.schedule = new BatchSchedule(config.seed(), shard.partition(), shard.size(), config.batchSize());
    }

    /** The executor that runs {@code model}'s steps, and why. */
    public ExecutorChoice executor(VaeConfig model) {
        return ExecutorChoice.of(model, config.backend());
    }

    /**
     * Why {@code model} does not train on the fused kernels of the reference family ({@link DenseSteps}), or null
     * when it does: on the CPU executor, the reference family runs those kernels, every other model the layers.
     */
    public String graphReason(VaeConfig model) {
        ExecutorChoice choice = executor(model);
        return choice.cpu() ? DenseSteps.unavailable(model) : choice.reason();
    }

    /**
     * Loads {@code params} and {@code adam}, takes {@code steps} local steps starting at step
     * {@code adam.step()}, and returns the new state with the wall time all of that took
     * ({@link RoundResult#localSeconds()}). The new parameters are those of the result: on the dense
     * path {@code model} only supplies its config and layout and its graph is left as it was, so a
     * caller that evaluates {@code model} afterwards loads {@link RoundResult#parameters()} into it
     * first (as {@link LocalTrainer#fit} does).
     */
    public RoundResult run(Vae model, NamedArrays params, AdamState adam, int steps) {
        long started = System.nanoTime();
        try (Replica replica = open(model, params, adam)) {
            Replica.Round t = replica.run(steps);
            LocalSteps.RoundState end = replica.state();
            return new RoundResult(end.parameters(), end.adam(), t.examples(), t.elboSum(), t.reconstructionSum(), t.klSum(),
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * A replica of {@code model} starting from {@code params} and {@code adam}, kept open across
     * rounds: its state leaves and re-enters as one vector ({@link Replica#pack}, {@link Replica#load}).
     * Close it after its last round.
     */
    public Replica open(Vae model, NamedArrays params, AdamState adam) {
        ExecutorChoice choice = executor(model.config());
        LocalSteps local;
        if (!choice.cpu()) {
            local = new GraphSteps(model, params, config, adam);
        } else if (DenseSteps.unavailable(model.config()) == null) {
            local = new DenseSteps(model, params, config, adam, NativeThreads.threads());
        } else {
            local = new CpuSteps(model, params, config, adam);
        }
        return new Replica(this, model, local, adam.step());
    }

    /** Takes {@code steps} steps from step {@code first} on {@code local}; the round's sums and wall time. */
    Replica.Round steps(LocalSteps local, Vae model, long first, int steps) {
        long started = System.nanoTime();
        int dim = shard.dim();
        int d = model.config().noiseDim();
        int samples = config.samples();
        long examples = 0;
        double elboSum = 0;
        double reconstructionSum = 0;
        double klSum = 0;
        // one set of batch arrays for the round (LocalSteps copies what it keeps); a short last batch of an epoch gets its own
        long[] ids = null;
        int[] labels = null;
        float[] x = null;
        float[] eps = null;
        for (int j = 0; j < steps; j++) {
            long step = first + j;
            long epoch = schedule.epochOf(step);
            int[] rows = schedule.batch(step);
            if (ids == null || ids.length != rows.length) {
                ids = new long[rows.length];
                labels = new int[rows.length];
                x = new float[rows.length * dim];
                eps = new float[samples * rows.length * d];
            }
            for (int i = 0; i < rows.length; i++) {
                ids[i] = shard.ids()[rows[i]];
                labels[i] = shard.labels()[rows[i]];
                PixelEncoding.encode(shard.pixels(), rows[i], dim, ids[i], config.binarization(), config.seed(), epoch, x, i);
            }
            NoiseSource.fill(eps, config.seed(), NoiseSource.derive(TRAIN_NOISE, epoch), ids, 0, samples, d);
            double epochs = (double) step / schedule.stepsPerEpoch();
            double beta = model.config().objective().betaAt(epochs);
            local.learningRate(config.learningRateAt(epochs));
            LocalSteps.Terms t = local.step(x, eps, rows.length, beta, ids, labels);
            elboSum += sum(t.elbo());
            reconstructionSum += sum(t.reconstruction());
            klSum = t.kl() == null ? Double.NaN : klSum + sum(t.kl());
            examples += rows.length;
        }
        return new Replica.Round(examples, elboSum, reconstructionSum, klSum, (System.nanoTime() - started) / 1e9, first + steps);
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
