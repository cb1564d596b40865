package org.vaespark.jobs.train;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.eval.posterior.LatentFigures;
import org.vaespark.core.eval.posterior.PosteriorConfig;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import scala.Tuple3;

/**
 * The posterior-collapse figures written into a checkpoint's metrics.jsonl line
 * ({@link LatentFigures}: KL per latent dimension and active units), on the first
 * {@code train.latent-examples} training examples by id, collected once to the driver and encoded
 * with the training binarization (draw 0) so that every checkpoint sees the same inputs. The
 * threshold and the Monte-Carlo samples are those of evaluation ({@code eval.posterior.*}).
 */
final class CheckpointLatents {
    static final String EXAMPLES = "train.latent-examples";

    private final long[] ids;
    private final float[] x;
    private final int[] labels;
    private final long seed;
    private final double threshold;
    private final int samples;

    private CheckpointLatents(long[] ids, float[] x, int[] labels, long seed, double threshold, int samples) {
        this.ids = ids;
        this.x = x;
        this.labels = labels;
        this.seed = seed;
        this.threshold = threshold;
        this.samples = samples;
    }

    /** The fixed examples of a run, or null when the figures are off or do not apply to the model. */
    static CheckpointLatents of(TrainingRun out, JavaRDD<Shard> shards) {
        Config c = Settings.fromJson(out.settingsJson(), "the run's settings").config();
        int k = Keys.intValue(c, EXAMPLES);
        if (k < 0) {
            throw Errors.badConfigValue(EXAMPLES, k, "an integer >= 0 (0 turns the per-checkpoint latent figures off)");
        }
        if (k == 0 || LatentFigures.unsupported(out.model()) != null) {
            return null;
        }
        PosteriorConfig posterior = PosteriorConfig.from(c);
        List<Tuple3<Long, byte[], Integer>> rows = new ArrayList<>(shards.flatMap(s -> first(s, k).iterator()).collect());
        rows.sort(Comparator.comparingLong(Tuple3::_1));
        int n = Math.min(k, rows.size());
        int dim = out.model().inputDim();
        TrainConfig train = out.train();
        long[] ids = new long[n];
        int[] labels = new int[n];
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            ids[i] = rows.get(i)._1();
            labels[i] = rows.get(i)._3();
            PixelEncoding.encode(rows.get(i)._2(), 0, dim, ids[i], train.binarization(), train.seed(), 0, x, i);
        }
        return new CheckpointLatents(ids, x, labels, train.seed(), posterior.activeThreshold(), posterior.mcSamples());
    }

    /** The figures of {@code params}, to add to the checkpoint's metrics.jsonl line. */
    Map<String, Object> measure(VaeConfig model, NamedArrays params) {
        return LatentFigures.measure(Vae.withParameters(model, params), seed, ids, x, labels, threshold, samples);
    }

    private static List<Tuple3<Long, byte[], Integer>> first(Shard s, int k) {
        Integer[] order = new Integer[s.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingLong(i -> s.ids()[i]));
        List<Tuple3<Long, byte[], Integer>> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, order.length); i++) {
            int r = order[i];
            byte[] px = java.util.Arrays.copyOfRange(s.pixels(), r * s.dim(), (r + 1) * s.dim());
            out.add(new Tuple3<>(s.ids()[r], px, s.labels()[r]));
        }
        return out;
    }
}
