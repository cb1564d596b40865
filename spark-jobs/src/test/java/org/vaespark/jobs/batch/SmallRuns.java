package org.vaespark.jobs.batch;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.config.Settings;
import org.vaespark.jobs.train.TrainingRun;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.eval.MetricSchema;
import org.vaespark.jobs.eval.MetricValue;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.jobs.train.Shards;
import org.vaespark.jobs.train.SparkTrainer;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.DatasetWriter;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.source.SourceData;
import org.vaespark.prep.source.SourceKind;

/** A small prepared dataset of real binarized-MNIST rows and tiny training runs on it, for evaluation-batch tests. */
final class SmallRuns {
    static final List<String> MODEL = List.of("model.encoder.hidden=[32]", "model.decoder.hidden=[32]", "model.latent-dim=4",
            "train.partitions=2", "train.averaging-frequency=2", "train.batch-size=20", "train.checkpoint-every-rounds=1");

    private SmallRuns() {
    }

    /** train / valid / test splits of real binarized MNIST rows, written as a prepared dataset. */
    static String dataset(SparkSession spark, Path dir, int perSplit) {
        Map<String, List<ImageRecord>> splits = new LinkedHashMap<>();
        for (String split : List.of("train", "valid", "test")) {
            Shard s = MnistRows.binarized(split, perSplit, 0);
            List<ImageRecord> records = new ArrayList<>();
            for (int i = 0; i < s.size(); i++) {
                records.add(new ImageRecord(i, split, null, 28, 28, 1, Arrays.copyOfRange(s.pixels(), i * 784, (i + 1) * 784)));
            }
            splits.put(split, records);
        }
        SourceData data = new SourceData(SourceKind.BINARIZED_MNIST, 28, 28, 1, splits, List.of());
        String out = dir.resolve("binarized-mnist").toString();
        DatasetWriter.write(spark, out, splits, Manifest.of(data, Instant.now()), false);
        return out;
    }

    /** train / valid / test splits of real LeCun MNIST rows (grey levels, with their labels), written as a prepared dataset. */
    static String labelledDataset(SparkSession spark, Path dir, int perSplit) {
        Map<String, List<ImageRecord>> splits = new LinkedHashMap<>();
        for (String split : List.of("train", "valid", "test")) {
            Shard s = MnistRows.raw(split.equals("test") ? "t10k" : "train", perSplit, 0);
            List<ImageRecord> records = new ArrayList<>();
            for (int i = 0; i < s.size(); i++) {
                records.add(new ImageRecord(i, split, s.labels()[i], 28, 28, 1, Arrays.copyOfRange(s.pixels(), i * 784, (i + 1) * 784)));
            }
            splits.put(split, records);
        }
        SourceData data = new SourceData(SourceKind.MNIST, 28, 28, 1, splits, List.of());
        String out = dir.resolve("mnist").toString();
        DatasetWriter.write(spark, out, splits, Manifest.of(data, Instant.now()), false);
        return out;
    }

    /** A run of {@code rounds} averaging rounds with one checkpoint per round, under {@code runs/<name>}. */
    static Path train(SparkSession spark, String data, Path runs, String name, long seed, int rounds) {
        return train(spark, data, runs, name, seed, rounds, List.of());
    }

    /** As {@link #train(SparkSession, String, Path, String, long, int)}, with settings overrides (e.g. another model kind). */
    static Path train(SparkSession spark, String data, Path runs, String name, long seed, int rounds, List<String> overrides) {
        List<String> base = new ArrayList<>(MODEL);
        base.addAll(overrides);
        Settings s = Settings.defaults(with(base, "data.path=" + data, "train.seed=" + seed));
        TrainConfig tc = TrainConfig.from(s.config());
        ImageShape shape = new ImageShape(28, 28, 1);
        VaeConfig mc = VaeConfig.from(s.config(), shape);
        Dataset<Row> frame = DatasetReader.read(spark, data, "train");
        JavaRDD<Shard> shards = Shards.of(frame, tc.partitions(), shape.dimension(), tc.labelledPerClass());
        RunDirectory run = new RunDirectory(runs.resolve(name).toString());
        run.create(s.toJson());
        Path last = new SparkTrainer(new TrainingRun(mc, tc, s.toJson(), run, data, "binarized-mnist"))
                .train(JavaSparkContext.fromSparkContext(spark.sparkContext()), shards, SparkTrainer.Start.fresh(mc, seed), rounds);
        shards.unpersist();
        return last;
    }

    /**
     * A diagonal-Gaussian run ({@code runs/gauss}, 2 rounds) and a planar-flow run ({@code runs/flow}, 1 round) on
     * {@code data}: the pair the per-example diagnostics test, one they support and one they refuse with a reason.
     */
    static Path gaussianAndPlanarRuns(SparkSession spark, String data, Path dir) {
        Path runs = dir.resolve("runs");
        train(spark, data, runs, "gauss", 1, 2);
        train(spark, data, runs, "flow", 1, 1, List.of("model.posterior.kind=planar", "model.posterior.length=1"));
        return runs;
    }

    /** Every metric of the results table under {@code results}, by run name, then metric name. */
    static Map<String, Map<String, MetricValue>> metricsByRun(SparkSession spark, Path results) {
        return new ResultsTable(spark, results.toString()).readMetrics().stream()
                .collect(Collectors.groupingBy(MetricSchema.Entry::run,
                        Collectors.toMap(e -> e.value().metric(), MetricSchema.Entry::value,
                                (a, b) -> b)));
    }

    static String[] with(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }
}
