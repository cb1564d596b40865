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
import org.vaespark.core.model.structure.ModelDescription;
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
 * The speed figures of one model variant, measured in the thread layout the jobs run in: one process,
 * one replica (training) or estimator (IWAE) per core at once, each on its own thread with one BLAS
 * thread, as the tasks of {@code local[n]} run ({@link Concurrent}), a long warm-up, and each figure {@link Paired}
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

    /** Every figure of one experiment, in the order measured, with {@code threads} workers ({@link Concurrent}). */
    public static Map<String, Object> measure(String name, Settings s, FamilyData data, Options o, int threads) {
        var c = s.config();
        VaeConfig model = VaeConfig.from(c, data.manifest().imageShape());
        TrainConfig train = TrainConfig.from(c);
        EvalConfig eval = EvalConfig.from(c);
        NativeThreads.configure(1);
        Shard[] parts = partitions(data.train(), threads);
        PartitionTrainer[] trainers = new PartitionTrainer[threads];
        for (int i = 0; i < threads; i++) {
            trainers[i] = new PartitionTrainer(train, parts[i]);
        }
        ExecutorChoice choice = trainers[0].executor(model);
        LOG.info("family speed: " + name + " (" + model.describe() + "), " + choice.describe() + ", " + threads
                + " replica(s) at once, one thread each");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("experiment", name);
        row.put("model", model.describe());
        row.put("dataset", data.manifest().source());
        row.put("executor", choice.executor());
        row.put("executor_reason", choice.reason());
        row.put("threads", threads);
        row.put("layout", threads + " replicas at once, each on its own thread with one BLAS thread, on its own 1/" + threads
                + " of the training set (the tasks of local[" + threads + "] with runtime.threads-per-task = 1)");
        row.put("batch_size", train.batchSize());
        row.put("samples", train.samples());
        row.put("load_average_at_start", Machine.loadAverage());
        double trainFlops = Flops.trainingFlopsPerExample(model, train.batchSize(), train.samples());
        row.put("train_flops_per_example", trainFlops);
        row.put("forward_flops_per_example_by_component", Flops.components(model, train.batchSize(), train.samples()));

        Vae initial = LocalTrainer.initialModel(model, train, data.train());
        row.put("parameters", initial.layout().count());
        NamedArrays p = initial.parameters();
        Vae[] vaes = new Vae[threads];
        RoundResult[] state = new RoundResult[threads];
        try (Concurrent workers = new Concurrent(threads)) {
            long t0 = System.nanoTime();
            workers.all(i -> {
                vaes[i] = Vae.withParameters(model, p);
                state[i] = trainers[i].run(vaes[i], p, AdamState.zeros(p), o.warmupSteps());
                return 0;
            });
            row.put("train_warmup_steps", o.warmupSteps());
            row.put("train_warmup_seconds", (System.nanoTime() - t0) / 1e9);
            row.put("train_memory_early", memory("step", state[0].adam().step()));
            Paired trained = Paired.measure(() -> workers.sgemmGflops(Paired.SGEMM_SIZE, 3), o.runs(), trainFlops, () -> {
                NativeThreads.configure(1);
                if (o.warmSteps() > 0) {
                    workers.all(i -> {
                        state[i] = trainers[i].run(vaes[i], state[i].parameters(), state[i].adam(), o.warmSteps());
                        return 0;
                    });
                }
                return timedSteps(workers, trainers, vaes, state, o.steps());
            });
            row.put("train_steps_per_run", o.steps());
            trained.put("train_examples", row);
            row.put("train_memory_late", memory("step", state[0].adam().step()));

            String noGraph = ModelDescription.graphUnavailable(model);
            if (noGraph != null) {
                row.put("graph_run", "not measured: the graph cannot run this model (" + noGraph + ")");
            } else if (choice.cpu()) {
                PartitionTrainer[] graph = new PartitionTrainer[threads];
                RoundResult[] g = state.clone();
                for (int i = 0; i < threads; i++) {
                    graph[i] = new PartitionTrainer(train.withBackend(Backend.GRAPH), parts[i]);
                }
                if (o.graphWarmupSteps() > 0) {
                    workers.all(i -> {
                        g[i] = graph[i].run(vaes[i], g[i].parameters(), g[i].adam(), o.graphWarmupSteps());
                        return 0;
                    });
                }
                Paired onGraph = Paired.measure(() -> workers.sgemmGflops(Paired.SGEMM_SIZE, 3), 1, trainFlops, () -> {
                    NativeThreads.configure(1);
                    return timedSteps(workers, graph, vaes, g, o.graphSteps());
                });
                onGraph.put("graph_train_examples", row);
                row.put("graph_run", "one paired run of " + o.graphSteps() + " steps after " + o.graphWarmupSteps()
                        + " warm-up steps, shorter than the executor's runs");
                row.put("speedup_over_graph", trained.medianRate() / onGraph.medianRate());
            } else {
                trained.put("graph_train_examples", row);
                row.put("graph_run", "the executor is the graph: its own runs");
                row.put("speedup_over_graph", 1.0);
            }

            iwae(model, train, eval, data, state[0].parameters(), o, workers, row);
        }
        row.put("load_average_at_end", Machine.loadAverage());
        LOG.info("family speed: " + name + " done: " + row);
        return row;
    }

    /** The training set dealt to {@code n} replicas by position (as partitions of a Spark dataset would hold it). */
    private static Shard[] partitions(Shard all, int n) {
        Shard[] parts = new Shard[n];
        long[] ids = all.ids();
        for (int i = 0; i < n; i++) {
            long[] keep = new long[(ids.length - i + n - 1) / n];
            for (int j = 0; j < keep.length; j++) {
                keep[j] = ids[i + j * n];
            }
            parts[i] = n == 1 ? all : all.subset(keep);
        }
        return parts;
    }

    /**
     * IWAE-k images/s paired with the sgemm rate, after a run at the small k that the memory figures compare against:
     * each worker estimates its own share of the images with its own estimator, as evaluation tasks do.
     */
    private static void iwae(VaeConfig model, TrainConfig train, EvalConfig eval, FamilyData data, NamedArrays params, Options o,
                             Concurrent workers, Map<String, Object> row) {
        int n = Math.min(o.iwaeImages(), data.test().size());
        float[] x = data.testInputs(n, train, eval);
        Shard rows = data.evaluated(n);
        long[] ids = rows.ids();
        int[] labels = model.kind() == ModelKind.CVAE && rows.hasLabels() ? rows.labels() : null;
        int dim = model.inputDim();
        int threads = workers.workers();
        NativeThreads.configure(1);

        Vae[] trained = new Vae[threads];
        workers.all(i -> {
            trained[i] = Vae.withParameters(model, params);
            return 0;
        });
        workers.all(i -> {
            estimateShare(new IwaeEstimator(trained[i], o.iwaeSmallK(), eval.chunk(), eval.seed(), train.backend()), i, threads,
                    ids, x, labels, dim, eval.batchSize());
            return 0;
        });
        row.put("iwae_memory_small_k", memory("k", o.iwaeSmallK()));

        IwaeEstimator[] iwae = new IwaeEstimator[threads];
        for (int i = 0; i < threads; i++) {
            iwae[i] = new IwaeEstimator(trained[i], o.iwaeK(), eval.chunk(), eval.seed(), train.backend());
        }
        row.put("iwae_executor", iwae[0].executor().executor());
        row.put("iwae_executor_reason", iwae[0].executor().reason());
        row.put("iwae_k", o.iwaeK());
        row.put("iwae_chunk", eval.chunk());
        row.put("iwae_images_per_run", n);
        double perSample = Flops.iwaeFlopsPerSample(model);
        row.put("iwae_flops_per_sample", perSample);
        workers.all(i -> {
            iwae[i].estimate(Arrays.copyOf(ids, 1), Arrays.copyOf(x, dim), labels == null ? null : Arrays.copyOf(labels, 1));
            return 0;
        });
        Paired timed = Paired.measure(() -> workers.sgemmGflops(Paired.SGEMM_SIZE, 3), o.runs(), (double) o.iwaeK() * perSample, () -> {
            NativeThreads.configure(1);
            return workers.rate(i -> estimateShare(iwae[i], i, threads, ids, x, labels, dim, eval.batchSize()));
        });
        timed.put("iwae_images", row);
        row.put("iwae_memory_k", memory("k", o.iwaeK()));
    }

    /** Worker {@code w} of {@code workers}: its contiguous share of the images, in batches of {@code batch} (eval.batch-size); the images it scored. */
    private static long estimateShare(IwaeEstimator iwae, int w, int workers, long[] ids, float[] x, int[] labels, int dim, int batch) {
        int from = (int) ((long) ids.length * w / workers);
        int to = (int) ((long) ids.length * (w + 1) / workers);
        for (int b = from; b < to; b += batch) {
            int e = Math.min(to, b + batch);
            iwae.estimate(Arrays.copyOfRange(ids, b, e), Arrays.copyOfRange(x, b * dim, e * dim),
                    labels == null ? null : Arrays.copyOfRange(labels, b, e));
        }
        return to - from;
    }

    /** {@code steps} steps on every replica at once from {@code state}, which they replace; examples per wall second in all. */
    private static double timedSteps(Concurrent workers, PartitionTrainer[] trainers, Vae[] vaes, RoundResult[] state, int steps) {
        return workers.rate(i -> {
            state[i] = trainers[i].run(vaes[i], state[i].parameters(), state[i].adam(), steps);
            return state[i].examples();
        });
    }

    private static Map<String, Object> memory(String at, long value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(at, value);
        m.putAll(Machine.memory());
        return m;
    }
}
