package org.vaespark.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.cpu.ExecutorChoice;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.IwaeEstimator;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.LabelledSubset;
import org.vaespark.core.train.LocalTrainer;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.bench.Machine;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.train.DriverRows;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.Manifest;
import picocli.CommandLine.Command;

/**
 * The model family's quality figures on one dataset: every experiment in
 * {@code benchmark.family.experiments} is trained in one process on one thread for the same CPU
 * budget ({@code benchmark.family.cpu-seconds} of thread CPU time), then scored with IWAE-k
 * (k = {@code eval.k}) on the first {@code benchmark.family.iwae-images} test images. Prints and
 * writes JSON and a Markdown table ({@code benchmark.family.output}): training examples/s, steps,
 * epochs, the last steps' training ELBO, test IWAE-k and ELBO (mean ± standard error).
 */
@Command(name = "family-benchmark", description = "Train every model variant for the same CPU budget and score it with IWAE-k.")
public final class FamilyBenchmarkJob extends JobCommand {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FamilyBenchmarkJob.class);
    private static final int STEPS_BETWEEN_CLOCK_READS = 20;

    public static void main(String[] args) {
        JobCommand.main(new FamilyBenchmarkJob(), args);
    }

    @Override
    protected String appName() {
        return "vae-family-benchmark";
    }

    @Override
    protected void run(SparkSession spark, Settings settings) throws Exception {
        var c = settings.config();
        List<String> experiments = c.getStringList("benchmark.family.experiments");
        List<String> overrides = c.getStringList("benchmark.family.overrides");
        double budget = Keys.positiveDouble(c, "benchmark.family.cpu-seconds");
        int images = Keys.positiveInt(c, "benchmark.family.iwae-images");
        int parallel = Keys.positiveInt(c, "benchmark.family.parallel");
        NativeThreads.configure(1);

        List<Settings> each = new ArrayList<>();
        for (String file : experiments) {
            each.add(Settings.load(List.of(file), overrides));
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<Map<String, Object>>> futures = new ArrayList<>();
        for (int i = 0; i < each.size(); i++) {
            String name = Path.of(experiments.get(i)).getFileName().toString().replace(".conf", "");
            Settings s = each.get(i);
            Data data = Data.load(spark, s);
            futures.add(pool.submit(() -> measure(name, s, data, budget, images)));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Future<Map<String, Object>> f : futures) {
            rows.add(f.get());
        }
        pool.shutdown();
        List<Map<String, Object>> speed = new ArrayList<>();
        Path file = RunDirectory.local(Keys.string(c, "benchmark.family.output"));
        write(file, budget, parallel, images, rows, speed);
        double sgemm = c.getStringList("benchmark.family.throughput").isEmpty() ? Double.NaN : Machine.sgemmGflops(1, 1024);
        for (String f : c.getStringList("benchmark.family.throughput")) {
            Settings s = Settings.load(List.of(f), List.of());
            speed.add(throughput(Path.of(f).getFileName().toString().replace(".conf", ""), s, Data.load(spark, s),
                    Keys.positiveInt(c, "benchmark.family.throughput-steps"), sgemm));
            write(file, budget, parallel, images, rows, speed);
        }
        System.out.println(Files.readString(file));
        System.out.println(Files.readString(markdownFile(file)));
    }

    /** Writes the JSON and the Markdown tables of what has been measured so far. */
    private static void write(Path file, double budget, int parallel, int images, List<Map<String, Object>> rows,
                              List<Map<String, Object>> speed) throws java.io.IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu_budget_seconds_per_model", budget);
        out.put("threads_per_model", 1);
        out.put("models_in_parallel", parallel);
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("iwae_images", images);
        out.put("models", rows);
        out.put("throughput", speed);
        Files.createDirectories(file.getParent());
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out) + "\n");
        String md = (rows.isEmpty() ? "" : markdown(rows, budget)) + (speed.isEmpty() ? "" : "\n" + speedTable(speed));
        Files.writeString(markdownFile(file), md);
    }

    private static Path markdownFile(Path json) {
        return json.resolveSibling(json.getFileName().toString().replaceAll("\\.json$", "") + ".md");
    }

    /** The training rows and the first test images of one experiment's dataset. */
    private record Data(Shard train, Shard test, Manifest manifest) {
        static Data load(SparkSession spark, Settings s) {
            var c = s.config();
            String path = Keys.requiredString(c, "data.path", "a dataset written by PrepareJob");
            Manifest m = DatasetReader.manifest(spark, path);
            Shard train = DriverRows.collect(spark, path, Keys.string(c, "data.train-split"), m.dimension());
            return new Data(LabelledSubset.apply(train, TrainConfig.from(c).labelledPerClass()),
                    DriverRows.collect(spark, path, EvalConfig.from(c).split(), m.dimension()), m);
        }
    }

    private static Map<String, Object> measure(String name, Settings s, Data data, double budget, int images) {
        var c = s.config();
        VaeConfig model = VaeConfig.from(c, data.manifest().imageShape());
        TrainConfig train = TrainConfig.from(c);
        EvalConfig eval = EvalConfig.from(c);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        LOG.info("family benchmark: " + name + " (" + model.describe() + "), " + budget + " CPU-seconds");
        Vae vae = LocalTrainer.initialModel(model, train, data.train());
        NamedArrays params = vae.parameters();
        AdamState adam = AdamState.zeros(params);
        PartitionTrainer trainer = new PartitionTrainer(train, data.train());
        long cpu0 = cpu.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long examples = 0;
        RoundResult last = null;
        while ((cpu.getCurrentThreadCpuTime() - cpu0) / 1e9 < budget) {
            last = trainer.run(vae, params, adam, STEPS_BETWEEN_CLOCK_READS);
            params = last.parameters();
            adam = last.adam();
            examples += last.examples();
        }
        double cpuSeconds = (cpu.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double wallSeconds = (System.nanoTime() - wall0) / 1e9;

        int n = Math.min(images, data.test().size());
        int dim = model.inputDim();
        long[] ids = java.util.Arrays.copyOf(data.test().ids(), n);
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            PixelEncoding.encode(data.test().pixels(), i, dim, ids[i], train.binarization(), eval.seed(), 0, x, i);
        }
        IwaeEstimator iwae = new IwaeEstimator(Vae.withParameters(model, params), eval.k(), eval.chunk(), eval.seed(), eval.backend());
        Summary ll = new Summary();
        Summary elbo = new Summary();
        long evalStart = System.nanoTime();
        for (int from = 0; from < n; from += eval.batchSize()) {
            int to = Math.min(n, from + eval.batchSize());
            for (ExampleEstimate e : iwae.estimate(java.util.Arrays.copyOfRange(ids, from, to),
                    java.util.Arrays.copyOfRange(x, from * dim, to * dim))) {
                ll.add(e.logLikelihood());
                elbo.add(e.elbo());
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("experiment", name);
        row.put("model", model.describe());
        row.put("parameters", vae.layout().count());
        row.put("train_cpu_seconds", cpuSeconds);
        row.put("train_wall_seconds", wallSeconds);
        row.put("train_steps", adam.step());
        row.put("train_examples", examples);
        row.put("train_epochs", (double) examples / data.train().size());
        row.put("train_examples_per_cpu_second", examples / cpuSeconds);
        row.put("train_elbo_last_steps", last.elboSum() / last.examples());
        row.put("iwae_k", eval.k());
        row.put("test_images", n);
        row.put("test_iwae_mean", ll.mean());
        row.put("test_iwae_standard_error", ll.standardError());
        row.put("test_elbo_mean", elbo.mean());
        row.put("eval_wall_seconds", (System.nanoTime() - evalStart) / 1e9);
        row.put("binarization", train.binarization().name().toLowerCase());
        executor(row, trainer.executor(model));
        row.put("iwae_executor", iwae.executor().executor());
        LOG.info("family benchmark: " + name + " done: " + row);
        return row;
    }

    /** Training examples per CPU-second and per wall second of one experiment, one thread, after warm-up steps. */
    private static Map<String, Object> throughput(String name, Settings s, Data data, int steps, double sgemmOneThread) {
        var c = s.config();
        VaeConfig model = VaeConfig.from(c, data.manifest().imageShape());
        TrainConfig train = TrainConfig.from(c);
        LOG.info("family throughput: " + name + " (" + model.describe() + ")");
        Vae vae = LocalTrainer.initialModel(model, train, data.train());
        NamedArrays params = vae.parameters();
        PartitionTrainer trainer = new PartitionTrainer(train, data.train());
        RoundResult warm = trainer.run(vae, params, AdamState.zeros(params), 5);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long cpu0 = cpu.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        RoundResult r = trainer.run(vae, warm.parameters(), warm.adam(), steps);
        double cpuSeconds = (cpu.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double wallSeconds = (System.nanoTime() - wall0) / 1e9;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("experiment", name);
        row.put("model", model.describe());
        row.put("dataset", data.manifest().source());
        row.put("parameters", vae.layout().count());
        row.put("batch_size", train.batchSize());
        row.put("samples", train.samples());
        row.put("steps", steps);
        row.put("examples_per_cpu_second", r.examples() / cpuSeconds);
        row.put("examples_per_wall_second", r.examples() / wallSeconds);
        String graph = trainer.graphReason(model);
        row.put("path", graph == null ? "dense" : "graph");
        executor(row, trainer.executor(model));
        double flops = 3.0 * (model.encoderFlopsPerExample() + (double) train.samples() * model.decoderFlopsPerSample());
        row.put("model_gflops_per_cpu_second", r.examples() / cpuSeconds * flops / 1e9);
        row.put("sgemm_gflops_1_thread", sgemmOneThread);
        row.put("fraction_of_sgemm_1_thread", r.examples() / cpuSeconds * flops / 1e9 / sgemmOneThread);
        return row;
    }

    /** The {@code executor} and {@code executor_reason} keys of a row, and the log line. */
    private static void executor(Map<String, Object> row, ExecutorChoice choice) {
        LOG.info("family benchmark: " + row.get("experiment") + " trains on the " + choice.describe());
        row.put("executor", choice.executor());
        row.put("executor_reason", choice.reason());
    }

    private static String speedTable(List<Map<String, Object>> rows) {
        StringBuilder s = new StringBuilder("| experiment | model | dataset | params | batch x samples | path | examples/CPU-s | examples/s (wall)"
                + " | model GFLOP/CPU-s | of sgemm (1 thread) |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            s.append(String.format(java.util.Locale.ROOT, "| %s | %s | %s | %d | %d x %d | %s | %.0f | %.0f | %.1f | %.2f |%n", r.get("experiment"),
                    r.get("model"), r.get("dataset"), (Long) r.get("parameters"), (Integer) r.get("batch_size"),
                    (Integer) r.get("samples"), r.get("path"), (Double) r.get("examples_per_cpu_second"), (Double) r.get("examples_per_wall_second"),
                    (Double) r.get("model_gflops_per_cpu_second"), (Double) r.get("fraction_of_sgemm_1_thread")));
        }
        return s.toString();
    }

    private static String markdown(List<Map<String, Object>> rows, double budget) {
        StringBuilder s = new StringBuilder();
        s.append("| experiment | model | params | epochs in ").append((long) budget).append(" CPU-s | examples/CPU-s | test IWAE-k (nats) | test ELBO | k | images |\n");
        s.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            s.append(String.format(java.util.Locale.ROOT, "| %s | %s | %d | %.2f | %.0f | %.2f ± %.2f | %.2f | %d | %d |%n",
                    r.get("experiment"), r.get("model"), (Long) r.get("parameters"), (Double) r.get("train_epochs"),
                    (Double) r.get("train_examples_per_cpu_second"), (Double) r.get("test_iwae_mean"),
                    (Double) r.get("test_iwae_standard_error"), (Double) r.get("test_elbo_mean"), (Integer) r.get("iwae_k"),
                    (Integer) r.get("test_images")));
        }
        return s.toString();
    }
}
