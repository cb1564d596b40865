package org.vaespark.core.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.Vae;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Runs local Adam steps of a VAE on one {@link Shard}: the unit of work of both the local
 * trainer and a Spark partition's share of an averaging round. Batches come from
 * {@link BatchSchedule}, noise and dynamic binarization from {@link NoiseSource}, all pure
 * functions of (seed, partition, step), so the same inputs always give the same result.
 * Conditional and semi-supervised models are fed the shard's labels ({@link Labels}).
 */
public final class PartitionTrainer {
    /** The noise stream of training steps: eps of example id in epoch e is drawn from derive(TRAIN_NOISE, e). */
    public static final long TRAIN_NOISE = 0x7EA1L;

    private final TrainConfig config;
    private final Shard shard;
    private final BatchSchedule schedule;

    public PartitionTrainer(TrainConfig config, Shard shard) {
        this.config = config;
        this.shard = shard;
        this.schedule = new BatchSchedule(config.seed(), shard.partition(), shard.size(), config.batchSize());
    }

    /**
     * Loads {@code params} and {@code adam} into {@code model}, takes {@code steps} local steps
     * starting at step {@code adam.step()}, and returns the new state with the wall time all
     * of that took ({@link RoundResult#localSeconds()}).
     */
    public RoundResult run(Vae model, NamedArrays params, AdamState adam, int steps) {
        long started = System.nanoTime();
        model.setParameters(params);
        Adam optimizer = new Adam(config, adam);
        Map<String, INDArray> live = model.liveParameters();
        int dim = shard.dim();
        int d = model.config().noiseDim();
        String[] outputs = model.trainingOutputs();
        int samples = config.samples();
        long examples = 0;
        double elboSum = 0;
        double reconstructionSum = 0;
        double klSum = 0;
        for (int j = 0; j < steps; j++) {
            long step = adam.step() + j;
            long epoch = schedule.epochOf(step);
            int[] rows = schedule.batch(step);
            long[] ids = new long[rows.length];
            int[] labels = new int[rows.length];
            float[] x = new float[rows.length * dim];
            for (int i = 0; i < rows.length; i++) {
                ids[i] = shard.ids()[rows[i]];
                labels[i] = shard.labels()[rows[i]];
                PixelEncoding.encode(shard.pixels(), rows[i], dim, ids[i], config.binarization(), config.seed(), epoch, x, i);
            }
            float[] eps = new float[samples * rows.length * d];
            NoiseSource.fill(eps, config.seed(), NoiseSource.derive(TRAIN_NOISE, epoch), ids, 0, samples, d);
            INDArray xs = Vae.matrix(x, rows.length, dim);
            INDArray noise = Nd4j.create(eps, new long[]{samples, rows.length, d}, 'c');
            double beta = model.config().objective().betaAt((double) step / schedule.stepsPerEpoch());
            Vae.Feed feed = Labels.feed(model.config(), xs, noise, beta, ids, labels);
            Vae.Step result = model.step(feed, outputs);
            optimizer.update(live, result.gradients());
            for (double e : Vae.elbo(result.outputs())) {
                elboSum += e;
            }
            for (double r : Vae.reconstruction(result.outputs())) {
                reconstructionSum += r;
            }
            double[] kl = Vae.kl(result.outputs());
            if (kl == null) {
                klSum = Double.NaN;
            } else {
                for (double k : kl) {
                    klSum += k;
                }
            }
            examples += rows.length;
            NativeMemory.release(xs, noise);
            if (feed.labels() != null) {
                NativeMemory.release(feed.labels(), feed.labelled());
            }
            NativeMemory.release(result.gradients().values());
            NativeMemory.release(result.outputs().values());
        }
        return new RoundResult(model.parameters(), optimizer.state(), examples, elboSum, reconstructionSum, klSum, (System.nanoTime() - started) / 1e9);
    }
}
