package org.vaespark.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.cpu.ExecutorChoice;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.cost.Flops;
import org.vaespark.core.progress.Progress;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.eval.DistributedIwae;
import org.vaespark.jobs.eval.SplitSubset;
import org.vaespark.jobs.progress.SparkProgress;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.Manifest;
import picocli.CommandLine.Command;

/**
 * Speed of IWAE-k evaluation (Burda et al. 2016) of a checkpoint against this machine's sgemm
 * rate: the rate of a large square single-precision GEMM through ND4J's BLAS (median of
 * {@code iwae-benchmark.sgemm-repeats}) with one thread, with every core in one call, and with
 * one thread in each of the Spark session's concurrent tasks (the evaluation's own layout); then
 * the wall time of {@link DistributedIwae} over {@code eval.split} (the hash subset of
 * {@code eval.max-examples} images, or all), images/s, and decoder GFLOP/s counted from the layer
 * shapes ({@link Flops#iwaeFlopsPerSample}: the GEMMs that run once per importance sample) as a fraction of the
 * concurrent-task sgemm rate. Writes JSON and a short Markdown table to {@code iwae-benchmark.output}. The IWAE
 * pass prints done/total, rate and ETA every {@code progress.interval-seconds}, as evaluation does.
 */
@Command(name = "iwae-benchmark", description = "IWAE-k wall time, images/s and decoder GFLOP/s vs the sgemm rate. Needs evaluate.checkpoint and data.path.")
public final class IwaeBenchmarkJob extends JobCommand {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IwaeBenchmarkJob.class);

    public static void main(String[] args) {
        JobCommand.main(new IwaeBenchmarkJob(), args);
    }

    @Override
    protected String appName() {
        return "vae-iwae-benchmark";
    }

    @Override
    protected void run(SparkSession spark, Settings settings) throws Exception {
        Map<String, Object> out = measure(spark, settings);
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
        Path file = RunDirectory.local(Keys.string(settings.config(), "iwae-benchmark.output"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json + "\n");
        Path markdown = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        Files.writeString(markdown, markdown(out));
        System.out.println(json);
        System.out.println(markdown(out));
    }

    /** Every figure, in the order they are printed. */
    public static Map<String, Object> measure(SparkSession spark, Settings settings) {
        var c = settings.config();
        String dir = Keys.requiredString(c, "evaluate.checkpoint", "a checkpoint directory, e.g. runs/reference/checkpoints/round-000250");
        Checkpoint checkpoint = CheckpointIO.read(RunDirectory.local(dir));
        VaeConfig model = checkpoint.modelConfig();
        EvalConfig eval = EvalConfig.from(c);
        String data = Keys.optionalString(c, "data.path");
        data = data == null ? checkpoint.metadata().dataset() : data;
        Manifest manifest = DatasetReader.manifest(spark, data);
        if (manifest.dimension() != model.inputDim()) {
            throw Errors.incompatibleCheckpoint(dir, "the dataset " + data + " does not match the model's input size",
                    model.inputDim() + " pixels", manifest.dimension() + " pixels");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int threads = Keys.positiveInt(c, "runtime.threads-per-task");
        int tasks = Math.max(1, sc.defaultParallelism());
        int cores = Runtime.getRuntime().availableProcessors();
        int size = Keys.positiveInt(c, "iwae-benchmark.sgemm-size");
        int repeats = Keys.positiveInt(c, "iwae-benchmark.sgemm-repeats");

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("checkpoint", dir);
        out.put("model", TrainJob.describe(model));
        out.put("dataset", manifest.source());
        out.put("split", eval.split());
        out.put("spark_master", sc.master());
        out.put("cores", cores);
        out.put("tasks", tasks);
        out.put("threads_per_task", threads);
        out.put("load_average_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.put("sgemm_size", size);
        LOG.info("iwae-benchmark: sgemm rate of " + size + "x" + size + " matrices, median of " + repeats
                + " calls, with 1 thread, with " + cores + " threads and in " + tasks + " concurrent task(s)");
        double[] single = sgemmGflops(size, 1, repeats);
        out.put("sgemm_gflops_1_thread", single[0]);
        out.put("sgemm_gflops_per_cpu_s_1_thread", single[1]);
        out.put("sgemm_gflops_all_cores_one_call", sgemmGflops(size, cores, repeats)[0]);
        final int taskThreads = threads;
        List<Double> perTask = sc.parallelize(range(tasks), tasks).map(i -> sgemmGflops(size, taskThreads, repeats)[0]).collect();
        double machine = perTask.stream().mapToDouble(Double::doubleValue).sum();
        out.put("sgemm_gflops_per_task_concurrent", perTask);
        out.put("sgemm_gflops_machine", machine);

        Dataset<Row> split = SplitSubset.of(DatasetReader.read(spark, data, eval.split()), eval.subset());
        out.put("selection", eval.subset().labelFor(manifest.count(eval.split())));
        DistributedIwae.Job job = new DistributedIwae.Job(model, checkpoint.parameters(), eval, checkpoint.trainConfig().binarization(), threads);
        ExecutorChoice executor = DistributedIwae.executor(job);
        LOG.info("iwae-benchmark: IWAE-" + eval.k() + " on " + tasks + " task(s), on the " + executor.describe());
        out.put("executor", executor.executor());
        out.put("executor_reason", executor.reason());
        TaskCpu cpu = new TaskCpu();
        spark.sparkContext().addSparkListener(cpu);
        long total = SplitSubset.count(eval.subset(), manifest.count(eval.split()));
        List<ExampleEstimate> all;
        double wall;
        try (SparkProgress progress = SparkProgress.counting(spark.sparkContext(), LOG, "iwae-benchmark: IWAE-" + eval.k() + " on "
                + eval.split(), "examples", total, Progress.interval(c))) {
            long t0 = System.nanoTime();
            all = DistributedIwae.estimate(sc, split, job, tasks, progress.accumulator()).collect();
            wall = (System.nanoTime() - t0) / 1e9;
            progress.finish();
        }
        spark.sparkContext().removeSparkListener(cpu);
        if (all.isEmpty()) {
            throw Errors.jobFailed(data, "split '" + eval.split() + "' has no examples to evaluate", "check eval.split and eval.max-examples", null);
        }
        Summary iwae = new Summary();
        all.forEach(e -> iwae.add(e.logLikelihood()));
        double gflops = (double) all.size() * eval.k() * Flops.iwaeFlopsPerSample(model) / wall / 1e9;
        out.put("iwae_k", eval.k());
        out.put("iwae_chunk", eval.chunk());
        out.put("iwae_batch_size", eval.batchSize());
        String graphOnly = org.vaespark.core.kernel.DenseIwae.unavailable(model);
        out.put("iwae_path", !executor.cpu() ? "graph (" + executor.reason() + ")"
                : graphOnly == null ? "dense (kernel/DenseIwae), SIMD " + org.vaespark.core.kernel.PixelKernels.vectorised()
                : "cpu executor layers (" + graphOnly + ")");
        out.put("iwae_images", all.size());
        out.put("iwae_mean_nats", iwae.mean());
        out.put("iwae_stderr_nats", iwae.standardError());
        out.put("decoder_flops_per_sample", Flops.iwaeFlopsPerSample(model));
        out.put("iwae_wall_s", wall);
        out.put("iwae_images_per_s", all.size() / wall);
        out.put("iwae_decoder_gflops", gflops);
        out.put("iwae_fraction_of_sgemm_machine", gflops / machine);
        // Load-independent view: FLOPs per CPU-second of the task threads (BLAS and ND4J run on them: one thread per task)
        // against the sgemm's FLOPs per CPU-second of its thread.
        double cpuGflops = (double) all.size() * eval.k() * Flops.iwaeFlopsPerSample(model) / cpu.seconds() / 1e9;
        out.put("iwae_task_cpu_s", cpu.seconds());
        out.put("iwae_decoder_gflops_per_cpu_s", cpuGflops);
        out.put("iwae_fraction_of_sgemm_per_cpu_s", cpuGflops / single[1]);
        out.put("load_average_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return out;
    }

    /** Executor CPU time of every task that ends while registered (the IWAE stage's tasks and the collect). */
    private static final class TaskCpu extends org.apache.spark.scheduler.SparkListener {
        private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
            if (end.taskMetrics() != null) {
                nanos.addAndGet(end.taskMetrics().executorCpuTime());
            }
        }

        double seconds() {
            return nanos.get() / 1e9;
        }
    }

    /**
     * Single-precision GEMM rate of {@code size}-square matrices with {@code threads} BLAS threads, median of
     * {@code repeats}: {wall-clock GFLOP/s, GFLOP per CPU-second of the calling thread (meaningful with one thread)}.
     */
    static double[] sgemmGflops(int size, int threads, int repeats) {
        NativeThreads.configure(threads);
        INDArray a = Nd4j.rand(DataType.FLOAT, size, size);
        INDArray b = Nd4j.rand(DataType.FLOAT, size, size);
        INDArray c = Nd4j.create(DataType.FLOAT, size, size);
        a.mmuli(b, c);
        double[] rates = new double[repeats];
        double[] cpuRates = new double[repeats];
        var bean = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < repeats; i++) {
            long cpu = bean.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            a.mmuli(b, c);
            rates[i] = 2.0 * size * size * size / ((System.nanoTime() - t) / 1e9) / 1e9;
            cpuRates[i] = 2.0 * size * size * size / ((bean.getCurrentThreadCpuTime() - cpu) / 1e9) / 1e9;
        }
        java.util.Arrays.sort(rates);
        java.util.Arrays.sort(cpuRates);
        return new double[]{rates[repeats / 2], cpuRates[repeats / 2]};
    }

    private static List<Integer> range(int n) {
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            r.add(i);
        }
        return r;
    }

    /** The headline figures as a Markdown table. */
    static String markdown(Map<String, Object> o) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("# IWAE-%s speed: %s images of %s/%s%n%n", o.get("iwae_k"), o.get("iwae_images"), o.get("dataset"), o.get("split")));
        s.append(String.format("Spark %s, %s task(s) x %s thread(s), %s cores; chunk %s x batch %s; path: %s; load average %.1f -> %.1f.%n%n",
                o.get("spark_master"), o.get("tasks"), o.get("threads_per_task"), o.get("cores"), o.get("iwae_chunk"), o.get("iwae_batch_size"),
                o.get("iwae_path"),
                (double) o.get("load_average_start"), (double) o.get("load_average_end")));
        s.append("| figure | value |\n|---|---|\n");
        s.append(String.format("| sgemm %s^3, 1 thread (GFLOP/s) | %.1f |%n", o.get("sgemm_size"), (double) o.get("sgemm_gflops_1_thread")));
        s.append(String.format("| sgemm, all cores in one call (GFLOP/s) | %.1f |%n", (double) o.get("sgemm_gflops_all_cores_one_call")));
        s.append(String.format("| sgemm, one per concurrent task, summed (GFLOP/s) | %.1f |%n", (double) o.get("sgemm_gflops_machine")));
        s.append(String.format("| IWAE wall time (s) | %.1f |%n", (double) o.get("iwae_wall_s")));
        s.append(String.format("| images/s | %.2f |%n", (double) o.get("iwae_images_per_s")));
        s.append(String.format("| decoder GFLOP/s (%s FLOP/sample) | %.1f |%n", o.get("decoder_flops_per_sample"), (double) o.get("iwae_decoder_gflops")));
        s.append(String.format("| fraction of the machine sgemm rate | %.2f |%n", (double) o.get("iwae_fraction_of_sgemm_machine")));
        s.append(String.format("| sgemm 1 thread per CPU-second (GFLOP) | %.1f |%n", (double) o.get("sgemm_gflops_per_cpu_s_1_thread")));
        s.append(String.format("| IWAE task CPU time (s) | %.1f |%n", (double) o.get("iwae_task_cpu_s")));
        s.append(String.format("| decoder GFLOP per task CPU-second | %.1f |%n", (double) o.get("iwae_decoder_gflops_per_cpu_s")));
        s.append(String.format("| fraction of sgemm, per CPU-second (load-independent) | %.2f |%n", (double) o.get("iwae_fraction_of_sgemm_per_cpu_s")));
        s.append(String.format("| mean IWAE (nats) | %.3f ± %.3f |%n", (double) o.get("iwae_mean_nats"), (double) o.get("iwae_stderr_nats")));
        return s.toString();
    }
}
