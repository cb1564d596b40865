package org.vaespark.jobs;

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
import org.vaespark.core.train.NativeThreads;
import org.vaespark.jobs.bench.FamilyData;
import org.vaespark.jobs.bench.FamilyQuality;
import org.vaespark.jobs.bench.FamilyReport;
import org.vaespark.jobs.bench.FamilySpeed;
import org.vaespark.jobs.bench.NativeBuild;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.train.RunDirectory;
import picocli.CommandLine.Command;

/**
 * The model family's figures. Quality ({@link FamilyQuality}): every experiment in
 * {@code benchmark.family.experiments} trained on one thread for the same CPU budget
 * ({@code benchmark.family.cpu-seconds}), then scored with IWAE-k on
 * {@code benchmark.family.iwae-images} test images, the same hash subset for every model. Speed ({@link FamilySpeed}): every experiment in
 * {@code benchmark.family.throughput} (with {@code throughput-overrides}) measured as
 * {@code BenchmarkJob} measures the reference model, on every core, each figure paired with the
 * sgemm rate around it, the median of {@code paired-runs}: executor and reason, training
 * examples/s and fraction of sgemm, the graph's examples/s and the speed-up, IWAE-k images/s and
 * fraction of sgemm, memory. Records the ND4J native build ({@link NativeBuild}). Prints and writes
 * JSON and Markdown tables ({@code benchmark.family.output}), rewritten after every experiment.
 */
@Command(name = "family-benchmark", description = "The model family's quality (same CPU budget, IWAE-k) and speed (paired with sgemm) figures.")
public final class FamilyBenchmarkJob extends JobCommand {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FamilyBenchmarkJob.class);

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
        List<String> throughput = c.getStringList("benchmark.family.throughput");
        double budget = Keys.positiveDouble(c, "benchmark.family.cpu-seconds");
        int images = Keys.positiveInt(c, "benchmark.family.iwae-images");
        int parallel = Keys.positiveInt(c, "benchmark.family.parallel");
        FamilySpeed.Options speedOptions = FamilySpeed.Options.from(c);
        int cores = Runtime.getRuntime().availableProcessors();
        Path file = RunDirectory.local(Keys.string(c, "benchmark.family.output"));

        Map<String, Object> build = NativeBuild.describe();
        LOG.info("family benchmark: native build " + NativeBuild.summary(build));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cores", cores);
        out.put("native_build_summary", NativeBuild.summary(build));
        out.put("native_build", build);
        out.put("load_average_at_start", org.vaespark.jobs.bench.Machine.loadAverage());
        out.put("cpu_budget_seconds_per_model", budget);
        out.put("threads_per_model", 1);
        out.put("models_in_parallel", parallel);
        out.put("iwae_images", images);
        out.put("speed_method", "one process, " + cores + " replicas (IWAE: estimators) at once, one thread each; " + speedOptions.warmupSteps() + " warm-up steps; each figure the median of "
                + speedOptions.runs() + " runs, each divided by the mean of the sgemm rates (every replica's one-thread sgemm at once) read just before and after it");
        out.put("speed_options", speedOptions);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> speed = new ArrayList<>();
        out.put("models", rows);
        out.put("throughput", speed);

        if (!experiments.isEmpty()) {
            rows.addAll(quality(spark, experiments, c.getStringList("benchmark.family.overrides"), budget, images, parallel));
            FamilyReport.write(file, out, rows, speed, budget);
        }
        List<String> overrides = c.getStringList("benchmark.family.throughput-overrides");
        for (String f : throughput) {
            Settings s = Settings.load(List.of(f), overrides);
            speed.add(measureOrReason(spark, f, s, speedOptions, cores));
            out.put("load_average_at_end", org.vaespark.jobs.bench.Machine.loadAverage());
            FamilyReport.write(file, out, rows, speed, budget);
        }
        FamilyReport.write(file, out, rows, speed, budget);
        System.out.println(Files.readString(file));
        System.out.println(Files.readString(FamilyReport.markdownFile(file)));
    }

    /** The quality experiments, {@code parallel} at a time on one thread each. */
    private static List<Map<String, Object>> quality(SparkSession spark, List<String> experiments, List<String> overrides, double budget,
                                                     int images, int parallel) throws Exception {
        NativeThreads.configure(1);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<Map<String, Object>>> futures = new ArrayList<>();
        for (String f : experiments) {
            Settings s = Settings.load(List.of(f), overrides);
            FamilyData data = FamilyData.load(spark, s);
            futures.add(pool.submit(() -> FamilyQuality.measure(name(f), s, data, budget, images)));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Future<Map<String, Object>> f : futures) {
            rows.add(f.get());
        }
        pool.shutdown();
        return rows;
    }

    /** One variant's speed row; a variant that fails (out of memory, say) is a row with its reason, and the others still run. */
    private static Map<String, Object> measureOrReason(SparkSession spark, String file, Settings s, FamilySpeed.Options o, int cores) {
        try {
            return FamilySpeed.measure(name(file), s, FamilyData.load(spark, s), o, cores);
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.warn("family speed: " + name(file) + " failed, the other variants still run: " + e);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("experiment", name(file));
            row.put("failed", String.valueOf(e));
            return row;
        }
    }

    private static String name(String file) {
        return Path.of(file).getFileName().toString().replace(".conf", "");
    }
}
