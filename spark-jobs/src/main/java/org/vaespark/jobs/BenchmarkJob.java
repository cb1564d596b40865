package org.vaespark.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.IwaeEstimator;
import org.vaespark.core.model.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.train.AdamState;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.jobs.train.Shards;
import org.vaespark.jobs.train.SparkTrainer;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.Manifest;
import picocli.CommandLine.Command;

/**
 * Throughput of the configured model (the reference experiment by default): training
 * examples/s in one process and under Spark with parameter averaging, and IWAE-k images/s with
 * decoder GFLOP/s. Prints the figures as JSON and writes them to {@code benchmark.output}.
 */
@Command(name = "benchmark", description = "Training and IWAE throughput as JSON. Needs data.path (a prepared dataset).")
public final class BenchmarkJob extends JobCommand {

    public static void main(String[] args) {
        JobCommand.main(new BenchmarkJob(), args);
    }

    @Override
    protected String appName() {
        return "vae-benchmark";
    }

    @Override
    protected void run(SparkSession spark, Settings settings) throws Exception {
        var c = settings.config();
        String data = Keys.optionalString(c, "data.path");
        if (data == null) {
            throw Errors.badConfigValue("data.path", null, "a dataset written by PrepareJob, e.g. data-out/binarized-mnist");
        }
        Manifest manifest = DatasetReader.manifest(spark, data);
        VaeConfig model = VaeConfig.from(c, manifest.dimension());
        TrainConfig train = TrainConfig.from(c);
        EvalConfig eval = EvalConfig.from(c);
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", TrainJob.describe(model));
        out.put("dataset", manifest.source());
        out.put("cores", cores);
        out.put("batch_size", train.batchSize());

        Shard all = collect(spark, data, Keys.string(c, "data.train-split"), manifest.dimension());
        NativeThreads.configure(cores);
        Vae vae = Vae.initialise(model, train.seed());
        PartitionTrainer local = new PartitionTrainer(train, all);
        NamedArrays p = vae.parameters();
        RoundResult warm = local.run(vae, p, AdamState.zeros(p), Keys.positiveInt(c, "benchmark.warmup-steps"));
        int steps = Keys.positiveInt(c, "benchmark.train-steps");
        long t0 = System.nanoTime();
        RoundResult timed = local.run(vae, warm.parameters(), warm.adam(), steps);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double singleRate = timed.examples() / seconds;
        long trainFlops = 3 * (model.encoderFlopsPerExample() + train.samples() * model.decoderFlopsPerSample());
        out.put("train_single_process_threads", cores);
        out.put("train_single_process_examples_per_s", singleRate);
        out.put("train_single_process_model_gflops", singleRate * trainFlops / 1e9);

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Shard> shards = Shards.of(DatasetReader.read(spark, data, Keys.string(c, "data.train-split")), train.partitions(), manifest.dimension());
        shards.count();
        Path tmp = Files.createTempDirectory("vae-benchmark-run");
        SparkTrainer trainer = new SparkTrainer(model, train, settings.toJson(), new RunDirectory(tmp.toString()), data, manifest.source());
        int rounds = Keys.positiveInt(c, "benchmark.spark-rounds");
        SparkTrainer.Start fresh = SparkTrainer.Start.fresh(model, train.seed());
        trainer.train(sc, shards, fresh, 1);
        long t1 = System.nanoTime();
        trainer.train(sc, shards, new SparkTrainer.Start(fresh.parameters(), fresh.adam(), 1, 0, 0), 1 + rounds);
        double sparkSeconds = (System.nanoTime() - t1) / 1e9;
        double sparkRate = (double) rounds * train.partitions() * train.averagingFrequency() * train.batchSize() / sparkSeconds;
        out.put("train_spark_master", sc.master());
        out.put("train_spark_partitions", train.partitions());
        out.put("train_spark_averaging_frequency", train.averagingFrequency());
        out.put("train_spark_threads_per_task", train.threadsPerTask());
        out.put("train_spark_examples_per_s", sparkRate);
        out.put("train_spark_fraction_of_single_process", sparkRate / singleRate);
        shards.unpersist();

        NativeThreads.configure(cores);
        int images = Keys.positiveInt(c, "benchmark.iwae-images");
        Shard test = collect(spark, data, eval.split(), manifest.dimension());
        int n = Math.min(images, test.size());
        float[] x = new float[n * manifest.dimension()];
        long[] ids = java.util.Arrays.copyOf(test.ids(), n);
        for (int i = 0; i < n; i++) {
            PixelEncoding.encode(test.pixels(), i, manifest.dimension(), ids[i], train.binarization(), eval.seed(), 0, x, i);
        }
        vae.setParameters(timed.parameters());
        IwaeEstimator iwae = new IwaeEstimator(vae, eval.k(), eval.chunk(), eval.seed());
        iwae.estimate(java.util.Arrays.copyOf(ids, Math.min(5, n)), java.util.Arrays.copyOf(x, Math.min(5, n) * manifest.dimension()));
        long t2 = System.nanoTime();
        iwae.estimate(ids, x);
        double iwaeSeconds = (System.nanoTime() - t2) / 1e9;
        out.put("iwae_k", eval.k());
        out.put("iwae_chunk", eval.chunk());
        out.put("iwae_images", n);
        out.put("iwae_images_per_s", n / iwaeSeconds);
        out.put("iwae_decoder_gflops", (double) n * eval.k() * model.decoderFlopsPerSample() / iwaeSeconds / 1e9);

        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
        Path file = RunDirectory.local(Keys.string(c, "benchmark.output"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, json + "\n");
        System.out.println(json);
    }

    private static Shard collect(SparkSession spark, String data, String split, int dim) {
        List<Row> rows = DatasetReader.read(spark, data, split).select(ImageSchema.ID, ImageSchema.PIXELS).collectAsList();
        long[] ids = new long[rows.size()];
        byte[][] pixels = new byte[rows.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rows.get(i).getLong(0);
            pixels[i] = (byte[]) rows.get(i).get(1);
        }
        return Shard.of(0, ids, pixels, dim);
    }
}
