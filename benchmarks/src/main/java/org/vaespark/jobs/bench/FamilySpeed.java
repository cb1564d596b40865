package org.vaespark.jobs.bench;

import com.typesafe.config.Config;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.cpu.Backend;
import org.vaespark.core.cpu.ExecutorChoice;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.IwaeEstimator;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.cost.Flops;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.train.Shard;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.LocalTrainer;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.TrainConfig;

/**
 * The speed figures of one model variant, measured as {@code BenchmarkJob} measures the reference
 * model: one process, every core as BLAS / executor threads (the thread layout of {@code local[2]}
 * on this 2-core machine without Spark's round trips), a long warm-up, and each figure {@link Paired}
 * with the sgemm rate read around it, the median of {@code paired-runs} runs. Per variant: the
 * executor ({@link ExecutorChoice}) and its reason; training examples/s, model GFLOP/s and their
 * fraction of sgemm ({@link Flops#trainingFlopsPerExample}); the graph's examples/s from a shorter
 * run, for the speed-up; IWAE-k images/s and their fraction of sgemm counting only the FLOPs that
 * run once per importance sample ({@link Flops#iwaeFlopsPerSample}); and memory (heap after GC,
 * resident set) after the warm-up and after the timed steps, and after IWAE at a small k and at k:
 * neither may grow.
 */
public final class FamilySpeed {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FamilySpeed.class);

    /**
     * The {@code benchmark.family.*} speed keys.
     *
     * @param warmupSteps      untimed training steps before the first timed run
     * @param steps            timed training steps per paired run
     * @param runs             paired runs per figure (the median is reported)
     * @param warmSteps        untimed steps before each timed run (they refill the caches the sgemm evicted)
     * @param graphWarmupSteps untimed graph steps before the graph's one paired run
     * @param graphSteps       timed graph steps (one run: the graph is only the speed-up's denominator)
     * @param iwaeK            k of the IWAE speed figure
     * @param iwaeSmallK       the second k of the memory check (run first)
     * @param iwaeImages       test images per timed IWAE run
     */
    public record Options(int warmupSteps, int steps, int runs, int warmSteps, int graphWarmupSteps, int graphSteps, int iwaeK,
                          int iwaeSmallK, int iwaeImages) {
        public static Options from(Config c) {
            String p = "benchmark.family.";
            return new Options(Keys.positiveInt(c, p + "warmup-steps"), Keys.positiveInt(c, p + "throughput-steps"),
                    Keys.positiveInt(c, p + "paired-runs"), Keys.nonNegativeInt(c, p + "paired-warm-steps"),
                    Keys.nonNegativeInt(c, p + "graph-warmup-steps"), Keys.positiveInt(c, p + "graph-steps"),
                    Keys.positiveInt(c, p + "iwae-k"), Keys.positiveInt(c, p + "iwae-memory-k"),
                    Keys.positiveInt(c, p + "iwae-speed-images"));
        }
    }

    private FamilySpeed() {
    }

    /** Every figure of one experiment, in the order measured. */
    public static Map<String, Object> measure(String name, Settings s, FamilyData data, Options o, int threads) {
        var c = s.config();
        VaeConfig model = VaeConfig.from(c, data.manifest().imageShape());
        TrainConfig train = TrainConfig.from(c);
        EvalConfig eval = EvalConfig.from(c);
        NativeThreads.configure(threads);
        PartitionTrainer trainer = new PartitionTrainer(train, data.train());
        ExecutorChoice choice = trainer.executor(model);
        LOG.info("family speed: " + name + " (" + model.describe() + "), " + choice.describe() + ", " + threads + " thread(s)");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("experiment", name);
        row.put("model", model.describe());
        row.put("dataset", data.manifest().source());
        row.put("executor", choice.executor());
        row.put("executor_reason", choice.reason());
        row.put("threads", threads);
        row.put("batch_size", train.batchSize());
        row.put("samples", train.samples());
        row.put("load_average_at_start", Machine.loadAverage());
        double trainFlops = Flops.trainingFlopsPerExample(model, train.batchSize(), train.samples());
        row.put("train_flops_per_example", trainFlops);
        row.put("forward_flops_per_example_by_component", Flops.components(model, train.batchSize(), train.samples()));

        Vae vae = LocalTrainer.initialModel(model, train, data.train());
        row.put("parameters", vae.layout().count());
        NamedArrays p = vae.parameters();
        long t0 = System.nanoTime();
        RoundResult[] state = {trainer.run(vae, p, AdamState.zeros(p), o.warmupSteps())};
        row.put("train_warmup_steps", o.warmupSteps());
        row.put("train_warmup_seconds", (System.nanoTime() - t0) / 1e9);
        row.put("train_memory_early", memory("step", state[0].adam().step()));
        Paired trained = Paired.measure(threads, o.runs(), trainFlops, () -> {
            if (o.warmSteps() > 0) {
                state[0] = trainer.run(vae, state[0].parameters(), state[0].adam(), o.warmSteps());
            }
            return timedSteps(trainer, vae, state, o.steps());
        });
        row.put("train_steps_per_run", o.steps());
        trained.put("train_examples", row);
        row.put("train_memory_late", memory("step", state[0].adam().step()));

        if (choice.cpu()) {
            PartitionTrainer graph = new PartitionTrainer(train.withBackend(Backend.GRAPH), data.train());
            RoundResult[] g = {state[0]};
            if (o.graphWarmupSteps() > 0) {
                g[0] = graph.run(vae, g[0].parameters(), g[0].adam(), o.graphWarmupSteps());
            }
            Paired onGraph = Paired.measure(threads, 1, trainFlops, () -> timedSteps(graph, vae, g, o.graphSteps()));
            onGraph.put("graph_train_examples", row);
            row.put("graph_run", "one paired run of " + o.graphSteps() + " steps after " + o.graphWarmupSteps()
                    + " warm-up steps, shorter than the executor's runs");
            row.put("speedup_over_graph", trained.medianRate() / onGraph.medianRate());
        } else {
            trained.put("graph_train_examples", row);
            row.put("graph_run", "the executor is the graph: its own runs");
            row.put("speedup_over_graph", 1.0);
        }

        iwae(model, train, eval, data, state[0].parameters(), o, threads, row);
        row.put("load_average_at_end", Machine.loadAverage());
        LOG.info("family speed: " + name + " done: " + row);
        return row;
    }

    /** IWAE-k images/s paired with the sgemm rate, after a run at the small k that the memory figures compare against. */
    private static void iwae(VaeConfig model, TrainConfig train, EvalConfig eval, FamilyData data, NamedArrays params, Options o,
                             int threads, Map<String, Object> row) {
        int n = Math.min(o.iwaeImages(), data.test().size());
        float[] x = data.testInputs(n, train, eval);
        Shard rows = data.evaluated(n);
        long[] ids = rows.ids();
        int[] labels = model.kind() == ModelKind.CVAE && rows.hasLabels() ? rows.labels() : null;
        Vae trained = Vae.withParameters(model, params);
        int dim = model.inputDim();

        row.put("iwae_memory_small_k", memoryAfterIwae(trained, o.iwaeSmallK(), train, eval, ids, x, labels));

        IwaeEstimator iwae = new IwaeEstimator(trained, o.iwaeK(), eval.chunk(), eval.seed(), train.backend());
        row.put("iwae_executor", iwae.executor().executor());
        row.put("iwae_executor_reason", iwae.executor().reason());
        row.put("iwae_k", o.iwaeK());
        row.put("iwae_chunk", eval.chunk());
        row.put("iwae_images_per_run", n);
        double perSample = Flops.iwaeFlopsPerSample(model);
        row.put("iwae_flops_per_sample", perSample);
        iwae.estimate(Arrays.copyOf(ids, 1), Arrays.copyOf(x, dim), labels == null ? null : Arrays.copyOf(labels, 1));
        Paired timed = Paired.measure(threads, o.runs(), (double) o.iwaeK() * perSample, () -> {
            long t = System.nanoTime();
            estimateAll(iwae, ids, x, labels, dim, eval.batchSize());
            return n / ((System.nanoTime() - t) / 1e9);
        });
        timed.put("iwae_images", row);
        row.put("iwae_memory_k", memory("k", o.iwaeK()));
    }

    /** Memory after IWAE-k of the images with an estimator that is dropped before the reading (so the next one's reading excludes it). */
    private static Map<String, Object> memoryAfterIwae(Vae trained, int k, TrainConfig train, EvalConfig eval, long[] ids, float[] x,
                                                       int[] labels) {
        IwaeEstimator small = new IwaeEstimator(trained, k, eval.chunk(), eval.seed(), train.backend());
        estimateAll(small, ids, x, labels, trained.config().inputDim(), eval.batchSize());
        return memory("k", k);
    }

    /** The images in batches of {@code batch} (eval.batch-size), as the evaluation runs them. */
    private static void estimateAll(IwaeEstimator iwae, long[] ids, float[] x, int[] labels, int dim, int batch) {
        for (int from = 0; from < ids.length; from += batch) {
            int to = Math.min(ids.length, from + batch);
            iwae.estimate(Arrays.copyOfRange(ids, from, to), Arrays.copyOfRange(x, from * dim, to * dim),
                    labels == null ? null : Arrays.copyOfRange(labels, from, to));
        }
    }

    /** {@code steps} steps from {@code state[0]}, which they replace; examples per wall second. */
    private static double timedSteps(PartitionTrainer trainer, Vae vae, RoundResult[] state, int steps) {
        long t = System.nanoTime();
        state[0] = trainer.run(vae, state[0].parameters(), state[0].adam(), steps);
        return state[0].examples() / ((System.nanoTime() - t) / 1e9);
    }

    private static Map<String, Object> memory(String at, long value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(at, value);
        m.putAll(Machine.memory());
        return m;
    }
}
