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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Keys;
import org.vaespark.jobs.train.TrainingRun;
import org.vaespark.core.config.Settings;
import org.vaespark.core.cpu.ExecutorChoice;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ExampleSubset;
import org.vaespark.core.eval.IwaeEstimator;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.cost.Flops;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.bench.Fidelity;
import org.vaespark.jobs.bench.Machine;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.train.DriverRows;
import org.vaespark.jobs.train.RoundTimes;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.jobs.train.Shards;
import org.vaespark.jobs.train.SparkTrainer;
import org.vaespark.jobs.train.AveragingLoop;
import org.vaespark.jobs.train.ExchangeConfig;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.Manifest;
import picocli.CommandLine.Command;

/**
 * Throughput of the configured model (the reference experiment by default), each figure also as a
 * fraction of this machine's sgemm rate measured first through the same BLAS (the headline training
 * figure also against the rates measured around each of its blocks, {@link #paired}): training examples/s in
 * one process (1 thread and all cores; the dense path and the graph), under Spark with parameter
 * averaging (both exchanges, against the single process), and IWAE-k images/s with decoder GFLOP/s;
 * the memory each phase holds (IWAE's also at k / 10: it must not grow with k); and the fidelity of
 * the dense path ({@link Fidelity}: test IWAE after the same training budget on both paths). Model
 * FLOPs count GEMMs only, per component ({@link Flops}: training = 3 x forward; IWAE the per-sample part). Prints the figures as JSON and writes them to
 * {@code benchmark.output}. The Spark part also reports where a round's time goes: the medians and
 * totals over the timed rounds of each {@link RoundTimes} phase and the share of the time spent
 * outside the slowest task's local steps ({@code benchmark.spark-only = true} runs only that part).
 */
@Command(name = "benchmark", description = "Training and IWAE throughput as JSON. Needs data.path (a prepared dataset).")
public final class BenchmarkJob extends JobCommand {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BenchmarkJob.class);

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
        String data = Keys.requiredString(c, "data.path", "a dataset written by PrepareJob, e.g. data-out/binarized-mnist");
        Manifest manifest = DatasetReader.manifest(spark, data);
        VaeConfig model = VaeConfig.from(c, manifest.imageShape());
        TrainConfig train = TrainConfig.from(c);
        EvalConfig eval = EvalConfig.from(c);
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", TrainJob.describe(model));
        out.put("dataset", manifest.source());
        out.put("cores", cores);
        out.put("batch_size", train.batchSize());
        out.put("load_average_at_start", Machine.loadAverage());
        ExecutorChoice executor = ExecutorChoice.of(model, train.backend());
        LOG.info("benchmark: Spark training and IWAE on the " + executor.describe());
        out.put("executor", executor.executor());
        out.put("executor_reason", executor.reason());
        if (Keys.bool(c, "benchmark.spark-only")) {
            spark(spark, settings, data, manifest, model, train, out);
            write(c, out);
            return;
        }

        double sgemmAll = Machine.sgemmGflops(cores, 1024);
        out.put("sgemm_1024_gflops_1_thread", Machine.sgemmGflops(1, 1024));
        out.put("sgemm_1024_gflops_all_cores", sgemmAll);

        Shard all = DriverRows.collect(spark, data, Keys.string(c, "data.train-split"), manifest.dimension());
        int warmup = Keys.positiveInt(c, "benchmark.warmup-steps");
        int steps = Keys.positiveInt(c, "benchmark.train-steps");
        double trainFlops = Flops.trainingFlopsPerExample(model, train.batchSize(), train.samples());
        out.put("train_model_flops_per_example", trainFlops);
        String reason = new PartitionTrainer(train, all).graphReason(model);
        out.put("train_path", reason == null ? "dense" : "graph (" + reason + ")");
        RoundResult trained = null;
        for (boolean dense : reason == null ? new boolean[]{true, false} : new boolean[]{false}) {
            for (int threads : new int[]{1, cores}) {
                LOG.info("benchmark: single-process training, " + (dense ? "dense" : "graph") + " path, " + threads + " thread(s)");
                NativeThreads.configure(threads);
                Vae vae = Vae.initialise(model, train.seed());
                PartitionTrainer local = new PartitionTrainer(train.withBackend(dense ? org.vaespark.core.cpu.Backend.CPU : org.vaespark.core.cpu.Backend.GRAPH), all);
                NamedArrays p = vae.parameters();
                RoundResult warm = local.run(vae, p, AdamState.zeros(p), warmup);
                long t0 = System.nanoTime();
                RoundResult r = local.run(vae, warm.parameters(), warm.adam(), steps);
                double rate = r.examples() / ((System.nanoTime() - t0) / 1e9);
                String key = "train_single_process_" + (threads == 1 ? "1_thread" : "all_cores") + (dense ? "_dense" : "_graph");
                out.put(key + "_examples_per_s", rate);
                out.put(key + "_model_gflops", rate * trainFlops / 1e9);
                out.put(key + "_fraction_of_sgemm_all_cores", rate * trainFlops / 1e9 / sgemmAll);
                if (dense == (reason == null)) {
                    trained = r;
                    if (threads == cores) {
                        paired(local, vae, r, cores, Keys.positiveInt(c, "benchmark.paired-blocks"), Keys.positiveInt(c, "benchmark.paired-warm-steps"),
                                Keys.positiveInt(c, "benchmark.paired-block-steps"), trainFlops, out);
                    }
                }
            }
        }
        String best = "train_single_process_all_cores" + (reason == null ? "_dense" : "_graph");
        out.put("train_single_process_examples_per_s", out.get(best + "_examples_per_s"));
        out.put("train_fraction_of_sgemm_measured_first", out.get(best + "_fraction_of_sgemm_all_cores"));
        out.put("train_fraction_of_sgemm", out.get("train_paired_fraction_of_sgemm_median"));
        out.put("train_memory", Machine.memory());
        spark(spark, settings, data, manifest, model, train, out);
        out.put("train_spark_over_single_process", (double) out.get("train_spark_examples_per_s") / (double) out.get("train_single_process_examples_per_s"));
        Shard test = DriverRows.collect(spark, data, eval.split(), manifest.dimension());
        iwae(test, manifest, model, train, eval, trained, Keys.positiveInt(c, "benchmark.iwae-images"), out);
        out.put("iwae_fraction_of_sgemm", (double) out.get("iwae_all_cores_decoder_gflops") / sgemmAll);
        if (reason == null) {
            Fidelity.measure(all, test, manifest, model, train, eval, Keys.positiveInt(c, "benchmark.fidelity-steps"),
                    Keys.positiveInt(c, "benchmark.fidelity-images"), out);
        } else {
            out.put("fidelity", "not measured: the model trains through its graph only (" + reason + ")");
        }
        out.put("load_average_at_end", Machine.loadAverage());
        write(c, out);
    }

    /**
     * The single-process figure against the sgemm rate of the same moment: {@code blocks} blocks of
     * {@code blockSteps} training steps, continuing from {@code from}, with the all-core sgemm rate
     * (median of 3) measured before the first block and after every block. Each block is preceded by
     * {@code warmSteps} untimed steps, which refill the caches the sgemm's 12 MB evicted. Each block's model
     * GFLOP/s is divided by the mean of the rates measured just before and just after it, and the
     * median over the blocks is reported: on a shared machine whose speed drifts by tens of percent
     * within seconds, a rate measured once at the start can be from another moment than the training.
     */
    private static void paired(PartitionTrainer local, Vae vae, RoundResult from, int cores, int blocks, int warmSteps, int blockSteps,
                               double trainFlops, Map<String, Object> out) {
        double[] sgemm = new double[blocks + 1];
        double[] rates = new double[blocks];
        double[] fractions = new double[blocks];
        RoundResult r = from;
        sgemm[0] = Machine.sgemmGflops(cores, 1024, 3);
        for (int b = 0; b < blocks; b++) {
            r = local.run(vae, r.parameters(), r.adam(), warmSteps);
            r = local.run(vae, r.parameters(), r.adam(), blockSteps);
            rates[b] = r.examples() / r.localSeconds();
            sgemm[b + 1] = Machine.sgemmGflops(cores, 1024, 3);
            fractions[b] = rates[b] * trainFlops / 1e9 / ((sgemm[b] + sgemm[b + 1]) / 2);
        }
        out.put("train_paired_warm_steps", warmSteps);
        out.put("train_paired_block_steps", blockSteps);
        out.put("train_paired_sgemm_gflops", java.util.Arrays.stream(sgemm).boxed().toList());
        out.put("train_paired_examples_per_s", java.util.Arrays.stream(rates).boxed().toList());
        out.put("train_paired_fractions_of_sgemm", java.util.Arrays.stream(fractions).boxed().toList());
        out.put("train_paired_fraction_of_sgemm_median", Machine.median(fractions));
    }

    private static void spark(SparkSession spark, Settings settings, String data, Manifest manifest, VaeConfig model, TrainConfig train,
                              Map<String, Object> out) throws Exception {
        var c = settings.config();
        LOG.info("benchmark: Spark training on " + spark.sparkContext().master());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Shard> shards = Shards.of(DatasetReader.read(spark, data, Keys.string(c, "data.train-split")), train.partitions(), manifest.dimension());
        shards.count();
        int rounds = Keys.positiveInt(c, "benchmark.spark-rounds");
        out.put("train_spark_master", sc.master());
        out.put("train_spark_partitions", train.partitions());
        out.put("train_spark_averaging_frequency", train.averagingFrequency());
        out.put("train_spark_threads_per_task", train.threadsPerTask());
        out.put("train_spark_rounds", rounds);
        ExchangeConfig configured = ExchangeConfig.from(c);
        for (ExchangeConfig.Kind kind : ExchangeConfig.Kind.values()) {
            String key = "train_spark_" + kind.name().toLowerCase(java.util.Locale.ROOT) + "_";
            Path tmp = Files.createTempDirectory("vae-benchmark-run");
            AveragingLoop loop = AveragingLoop.of(new TrainingRun(model, train, settings.toJson(), new RunDirectory(tmp.toString()), data,
                    manifest.source()), new ExchangeConfig(kind, configured.timeoutSeconds()));
            SparkTrainer.Start fresh = SparkTrainer.Start.fresh(model, train.seed());
            // warm-up: one whole checkpoint period, so the timed rounds run compiled code
            int warmup = train.checkpointEvery();
            loop.train(sc, shards, fresh, warmup);
            long t1 = System.nanoTime();
            loop.train(sc, shards, new SparkTrainer.Start(fresh.parameters(), fresh.adam(), warmup, 0, 0), warmup + rounds);
            double seconds = (System.nanoTime() - t1) / 1e9;
            double sparkRate = (double) rounds * train.partitions() * train.averagingFrequency() * train.batchSize() / seconds;
            out.put(key + "examples_per_s", sparkRate);
            Map<String, Object> medians = RoundTimes.medians(loop.roundTimes());
            double local = loop.roundTimes().stream().mapToDouble(RoundTimes::localSteps).sum();
            double round = loop.roundTimes().stream().mapToDouble(RoundTimes::round).sum();
            out.put(key + "outside_local_share", 1 - local / round);
            out.put(key + "outside_local_share_of_wall", 1 - local / seconds);
            out.put(key + "outside_local_share_median", medians.get("outside_local_share"));
            out.put(key + "round_time_medians", medians);
            if (loop instanceof SparkTrainer trainer) {
                out.put(key + "task_cpu_over_run_median", cpuOverRun(trainer, warmup + 1, warmup + rounds));
            }
            LOG.info(String.format("benchmark: %s exchange: %.0f examples/s, %.1f%% of round time outside the slowest task's local steps"
                    + " (%.3f s of %.3f s over %d rounds)", kind, sparkRate, 100 * (1 - local / round), round - local, round, rounds));
            deleteQuietly(tmp);
        }
        out.put("train_spark_examples_per_s", out.get("train_spark_" + configured.kind().name().toLowerCase(java.util.Locale.ROOT) + "_examples_per_s"));
        out.put("load_average_after_spark", Machine.loadAverage());
        shards.unpersist();
    }

    private static void iwae(Shard test, Manifest manifest, VaeConfig model, TrainConfig train, EvalConfig eval,
                             RoundResult trained, int images, Map<String, Object> out) {
        int cores = Runtime.getRuntime().availableProcessors();
        Shard rows = test.subset(ExampleSubset.of(images).select(test.ids()));
        int n = rows.size();
        float[] x = new float[n * manifest.dimension()];
        long[] ids = rows.ids();
        for (int i = 0; i < n; i++) {
            PixelEncoding.encode(rows.pixels(), i, manifest.dimension(), ids[i], train.binarization(), eval.seed(), 0, x, i);
        }
        out.put("iwae_k", eval.k());
        out.put("iwae_chunk", eval.chunk());
        out.put("iwae_batch_size", eval.batchSize());
        out.put("iwae_images", n);
        for (int threads : new int[]{1, cores}) {
            LOG.info("benchmark: IWAE-" + eval.k() + ", " + threads + " thread(s)");
            NativeThreads.configure(threads);
            IwaeEstimator iwae = new IwaeEstimator(Vae.withParameters(model, trained.parameters()), eval.k(), eval.chunk(), eval.seed(),
                    eval.backend());
            iwae.estimate(java.util.Arrays.copyOf(ids, 2), java.util.Arrays.copyOf(x, 2 * manifest.dimension()));
            long t2 = System.nanoTime();
            for (int from = 0; from < n; from += eval.batchSize()) {
                int to = Math.min(n, from + eval.batchSize());
                iwae.estimate(java.util.Arrays.copyOfRange(ids, from, to),
                        java.util.Arrays.copyOfRange(x, from * manifest.dimension(), to * manifest.dimension()));
            }
            double seconds = (System.nanoTime() - t2) / 1e9;
            String key = threads == 1 ? "iwae_1_thread" : "iwae_all_cores";
            out.put(key + "_images_per_s", n / seconds);
            out.put(key + "_decoder_gflops", (double) n * eval.k() * Flops.iwaeFlopsPerSample(model) / seconds / 1e9);
            out.put(key + "_memory", Machine.memory());
        }
        // memory must not grow with k: the same images at k / 10 on a fresh estimator
        NativeThreads.configure(cores);
        IwaeEstimator small = new IwaeEstimator(Vae.withParameters(model, trained.parameters()), Math.max(1, eval.k() / 10), eval.chunk(),
                eval.seed(), eval.backend());
        small.estimate(java.util.Arrays.copyOf(ids, Math.min(n, eval.batchSize())), java.util.Arrays.copyOf(x, Math.min(n, eval.batchSize()) * manifest.dimension()));
        out.put("iwae_k_over_10_memory", Machine.memory());
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            LOG.warn("could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static void write(com.typesafe.config.Config c, Map<String, Object> out) throws Exception {
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
        Path file = RunDirectory.local(Keys.string(c, "benchmark.output"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, json + "\n");
        System.out.println(json);
    }

    /**
     * The median over rounds of the tasks' executor CPU time over their run time: about 1 when the
     * tasks had their cores to themselves, lower when other processes took CPU from them.
     */
    private static double cpuOverRun(SparkTrainer trainer, long from, long to) {
        double[] r = java.util.stream.LongStream.rangeClosed(from, to).mapToObj(trainer.listener()::round)
                .filter(t -> t.runMs() > 0).mapToDouble(t -> (double) t.cpuMs() / t.runMs()).sorted().toArray();
        return r.length == 0 ? Double.NaN : r[r.length / 2];
    }
}
