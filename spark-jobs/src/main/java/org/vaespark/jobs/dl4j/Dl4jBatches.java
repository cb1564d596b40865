package org.vaespark.jobs.dl4j;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.train.BatchSchedule;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;

/**
 * One epoch of a shard as DL4J minibatches: features x [B, D] encoded for the epoch (dynamic
 * binarization draws per epoch), labels [B, S * n + 1] = the example's noise and the KL weight
 * ({@link Dl4jVaeLayer}). Batches follow {@link BatchSchedule} and the noise is
 * {@link NoiseSource}'s training stream for (seed, epoch, example id), as in the SameDiff engine,
 * so both engines see the same noise for an example in an epoch.
 */
public final class Dl4jBatches {
    private Dl4jBatches() {
    }

    /** The minibatches of {@code shard} in epoch {@code epoch}. */
    public static List<DataSet> of(VaeConfig model, TrainConfig train, Shard shard, long epoch) {
        BatchSchedule schedule = new BatchSchedule(train.seed(), shard.partition(), shard.size(), train.batchSize());
        int steps = schedule.stepsPerEpoch();
        List<DataSet> out = new ArrayList<>(steps);
        for (long step = epoch * steps; step < (epoch + 1) * steps; step++) {
            double beta = model.objective().betaAt((double) step / steps);
            out.add(batch(model, train, shard, schedule.batch(step), epoch, beta));
        }
        return out;
    }

    /** The minibatch of rows {@code rows} of {@code shard} in epoch {@code epoch} with KL weight {@code beta}. */
    public static DataSet batch(VaeConfig model, TrainConfig train, Shard shard, int[] rows, long epoch, double beta) {
        int dim = shard.dim();
        int n = model.noiseDim();
        int s = train.samples();
        int b = rows.length;
        long[] ids = new long[b];
        float[] x = new float[b * dim];
        for (int i = 0; i < b; i++) {
            ids[i] = shard.ids()[rows[i]];
            PixelEncoding.encode(shard.pixels(), rows[i], dim, ids[i], train.binarization(), train.seed(), epoch, x, i);
        }
        float[] eps = new float[s * b * n];
        NoiseSource.fill(eps, train.seed(), NoiseSource.derive(PartitionTrainer.TRAIN_NOISE, epoch), ids, 0, s, n);
        int width = s * n + 1;
        float[] labels = new float[b * width];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < s; k++) {
                System.arraycopy(eps, (k * b + i) * n, labels, i * width + k * n, n);
            }
            labels[i * width + width - 1] = (float) beta;
        }
        return new DataSet(Nd4j.create(x, new long[]{b, dim}, 'c'), Nd4j.create(labels, new long[]{b, width}, 'c'));
    }
}
