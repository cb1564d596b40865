package org.vaespark.core.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;

/**
 * Training throughput of the reference model (MLP 784-300-300-40, Bernoulli, batch 100, Adam;
 * Kingma &amp; Welling 2014, Kingma &amp; Ba 2015) on the dense and the graph path against this
 * machine's sgemm rate, for 1 and 2 threads, with a breakdown of the dense step. Every figure is
 * the fastest of several repeats, so that other processes on a shared machine disturb it least, and
 * the sgemm rate is the fastest seen before and after the training runs. Prints figures, asserts
 * nothing; runs only when asked:
 * {@code mvn -o -q -pl model-core -am test -Dtest=DenseTrainBenchmark -Dvaespark.bench=true -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "vaespark.bench", matches = "true")
class DenseTrainBenchmark {
    private static final int REPEATS = 5;

    /** The reference experiment's configs, the first {@code rows} static-MNIST training rows, and model FLOPs per example (3 x forward GEMMs). */
    private record Reference(TrainConfig train, VaeConfig model, Shard data, double flopsPerExample) {
        static Reference of(int rows) {
            Settings s = Settings.defaults();
            VaeConfig mc = VaeConfig.from(s.config(), 784);
            TrainConfig tc = TrainConfig.from(s.config());
            return new Reference(tc, mc, MnistRows.binarized("train", rows, 0),
                    org.vaespark.core.model.cost.Flops.trainingFlopsPerExample(mc, tc.batchSize(), tc.samples()));
        }
    }

    @Test
    void referenceModelThroughput() throws Exception {
        Reference ref = Reference.of(5000);
        System.out.printf("load average before: %s", Files.readString(Path.of("/proc/loadavg")));
        System.out.printf("model %s, batch %d, model FLOPs/example %.4f M (3 x forward GEMMs), vectorised kernels: %s%n",
                ref.model().describe(), ref.train().batchSize(), ref.flopsPerExample() / 1e6, PixelKernels.vectorised());
        for (int threads : new int[]{1, 2}) {
            NativeThreads.configure(threads);
            double sgemm0 = sgemm(1024);
            double dense = examplesPerSecond(() -> new PartitionTrainer(ref.train(), ref.data()), ref.model(), 150, 5);
            double rounds = examplesPerSecond(() -> new PartitionTrainer(ref.train(), ref.data()), ref.model(), 10, 40);
            double setUp = setUpSeconds(() -> new PartitionTrainer(ref.train(), ref.data()), ref.model());
            double graph = examplesPerSecond(() -> new PartitionTrainer(ref.train().withBackend(org.vaespark.core.cpu.Backend.GRAPH), ref.data()), ref.model(), 30, 3);
            double sgemm = Math.max(sgemm0, sgemm(1024));
            System.out.printf("threads %d: sgemm 1024^3 %.1f GFLOP/s | dense %.0f ex/s = %.1f GFLOP/s = %.0f%% of sgemm"
                            + " | graph %.0f ex/s = %.1f GFLOP/s = %.0f%% of sgemm%n", threads, sgemm / 1e9,
                    dense, dense * ref.flopsPerExample() / 1e9, 100 * dense * ref.flopsPerExample() / sgemm,
                    graph, graph * ref.flopsPerExample() / 1e9, 100 * graph * ref.flopsPerExample() / sgemm);
            System.out.printf("threads %d: dense in 10-step rounds (a new trainer each round, as Spark runs them) %.0f ex/s = %.0f%% of sgemm;"
                            + " set-up (a round of 0 steps: load and copy out the state) %.2f ms per round%n", threads, rounds,
                    100 * rounds * ref.flopsPerExample() / sgemm, 1e3 * setUp);
            breakdown(ref.model(), ref.train(), ref.data(), threads, ref.flopsPerExample());
        }
        System.out.printf("load average after: %s", Files.readString(Path.of("/proc/loadavg")));
    }

    /**
     * The steady state of the reference model's training loop at 2 threads, as the benchmark job
     * runs it (one open replica, batches and noise prepared per step): after {@code vaespark.bench.warmup}
     * steps (default 1200, since the Java kernels reach their speed only after several hundred), the
     * examples/s of each of {@code vaespark.bench.blocks} blocks of 300 steps, the bytes allocated
     * per step on the training thread, and the fastest sgemm rate before and after. Prints figures,
     * asserts nothing.
     */
    @Test
    void steadyStateTwoThreads() throws Exception {
        Reference ref = Reference.of(10000);
        NativeThreads.configure(2);
        System.out.printf("load average before: %s", Files.readString(Path.of("/proc/loadavg")));
        double sgemm0 = sgemm(1024);
        Vae model = Vae.initialise(ref.model(), 1);
        NamedArrays p = model.parameters();
        try (org.vaespark.core.train.Replica replica = new PartitionTrainer(ref.train(), ref.data()).open(model, p, AdamState.zeros(p))) {
            replica.run(Integer.getInteger("vaespark.bench.warmup", 1200));
            int blocks = Integer.getInteger("vaespark.bench.blocks", 8);
            double[] rates = new double[blocks];
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int b = 0; b < blocks; b++) {
                org.vaespark.core.train.Replica.Round r = replica.run(300);
                rates[b] = r.examples() / r.localSeconds();
            }
            allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocated;
            double sgemm = Math.max(sgemm0, sgemm(1024));
            System.out.printf("allocated on the training thread: %.0f bytes per step%n", allocated / (300.0 * blocks));
            double[] sorted = rates.clone();
            java.util.Arrays.sort(sorted);
            System.out.printf("steady state, 2 threads: blocks %s ex/s; median %.0f ex/s = %.1f GFLOP/s = %.3f of sgemm %.1f GFLOP/s"
                            + " (before %.1f)%n", java.util.Arrays.toString(java.util.Arrays.stream(rates).mapToLong(Math::round).toArray()),
                    sorted[blocks / 2], sorted[blocks / 2] * ref.flopsPerExample() / 1e9, sorted[blocks / 2] * ref.flopsPerExample() / sgemm, sgemm / 1e9,
                    sgemm0 / 1e9);
        }
        System.out.printf("load average after: %s", Files.readString(Path.of("/proc/loadavg")));
    }

    /**
     * A/B in one JVM at 2 threads: the sequential step with 2 BLAS threads against the concurrent
     * GEMMs of {@link DenseGemms#concurrent} (1 BLAS thread each), alternating 20-step blocks so
     * that load from other processes falls on every variant alike. Prints the fastest and the median
     * block of each.
     */
    @Test
    void concurrentAgainstThreadedGemms() throws Exception {
        Reference ref = Reference.of(5000);
        NativeThreads.configure(2);
        System.out.printf("load average before: %s", Files.readString(Path.of("/proc/loadavg")));
        Vae model = Vae.initialise(ref.model(), 1);
        DenseLayout layout = new DenseLayout(model.layout());
        int batch = ref.train().batchSize();
        float[] x = pixels(ref.data(), batch);
        float[] eps = noise(batch * ref.model().latentDim());
        double[] logPx = new double[batch];
        double[] kl = new double[batch];
        String[] names = {"sequential, 2 BLAS threads", "pairs, 1 BLAS thread", "pairs + column halves, 1 BLAS thread"};
        int[] blas = {2, 1, 1};
        DenseVae[] nets = {new DenseVae(ref.model(), layout, DenseGemms.sequential()), new DenseVae(ref.model(), layout, DenseGemms.concurrent(false)),
                new DenseVae(ref.model(), layout, DenseGemms.concurrent(true))};
        DenseAdam[] adams = new DenseAdam[nets.length];
        for (int v = 0; v < nets.length; v++) {
            nets[v].setParameters(layout.flatten(model.parameters()));
            adams[v] = new DenseAdam(1e-3, 0.9, 0.999, 1e-8, new float[layout.total()], new float[layout.total()], 0, 2);
        }
        int block = 20;
        int blocks = Integer.getInteger("vaespark.bench.blocks", 25);
        double[][] ms = new double[nets.length][blocks];
        for (int b = -3; b < blocks; b++) {
            for (int v = 0; v < nets.length; v++) {
                Nd4j.factory().blas().setMaxThreads(blas[v]);
                long t0 = System.nanoTime();
                for (int i = 0; i < block; i++) {
                    nets[v].gradient(x, eps, 1f, logPx, kl);
                    adams[v].update(nets[v].parameterBytes(), nets[v].gradientBytes());
                }
                if (b >= 0) {
                    ms[v][b] = (System.nanoTime() - t0) / 1e6 / block;
                }
            }
        }
        Nd4j.factory().blas().setMaxThreads(2);
        for (int v = 0; v < nets.length; v++) {
            double[] sorted = ms[v].clone();
            java.util.Arrays.sort(sorted);
            double median = sorted[blocks / 2];
            System.out.printf("A/B %-42s fastest block %.3f ms/step (%.0f ex/s), median %.3f ms/step (%.0f ex/s = %.1f GFLOP/s)%n", names[v],
                    sorted[0], batch * 1e3 / sorted[0], median, batch * 1e3 / median, batch * ref.flopsPerExample() / median / 1e6);
            nets[v].close();
        }
        System.out.printf("load average after: %s", Files.readString(Path.of("/proc/loadavg")));
    }

    /** Fastest rate of a large square sgemm through Nd4j.gemm. */
    private static double sgemm(int n) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, n);
        double best = 0;
        for (int i = 0; i < REPEATS + 2; i++) {
            long t = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            best = Math.max(best, 2.0 * n * n * n / ((System.nanoTime() - t) / 1e9));
        }
        return best;
    }

    /** Fastest examples per second of {@code repeats} rounds of {@code steps} local steps, each on a new trainer, after a warm-up round. */
    private static double examplesPerSecond(java.util.function.Supplier<PartitionTrainer> trainer, VaeConfig mc, int steps, int repeats) {
        Vae model = Vae.initialise(mc, 1);
        NamedArrays p = model.parameters();
        RoundResult r = trainer.get().run(model, p, AdamState.zeros(p), Math.max(steps / 3, 10));
        double best = 0;
        for (int i = 0; i < repeats; i++) {
            r = trainer.get().run(model, r.parameters(), r.adam(), steps);
            best = Math.max(best, r.examples() / r.localSeconds());
        }
        return best;
    }

    /** Fastest wall time of a round of no steps on a new trainer (after a round of 10): loading the state and copying it out. */
    private static double setUpSeconds(java.util.function.Supplier<PartitionTrainer> trainer, VaeConfig mc) {
        Vae model = Vae.initialise(mc, 1);
        NamedArrays p = model.parameters();
        RoundResult r = trainer.get().run(model, p, AdamState.zeros(p), 10);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            best = Math.min(best, trainer.get().run(model, r.parameters(), r.adam(), 0).localSeconds());
        }
        return best;
    }

    /** Where a dense step's time goes: the gradient and Adam. */
    private static void breakdown(VaeConfig mc, TrainConfig tc, Shard data, int threads, double flopsPerExample) {
        Vae model = Vae.initialise(mc, 1);
        DenseLayout layout = new DenseLayout(model.layout());
        int batch = tc.batchSize();
        float[] x = pixels(data, batch);
        float[] eps = noise(batch * mc.latentDim());
        double[] logPx = new double[batch];
        double[] kl = new double[batch];
        int block = 20;
        try (DenseVae net = new DenseVae(mc, layout);
             DenseAdam adam = new DenseAdam(1e-3, 0.9, 0.999, 1e-8, new float[layout.total()], new float[layout.total()], 0, threads)) {
            net.setParameters(layout.flatten(model.parameters()));
            double[] best = {Double.MAX_VALUE, 0};
            for (int b = -2; b < 15; b++) {
                long gradient = 0;
                long update = 0;
                for (int i = 0; i < block; i++) {
                    long t0 = System.nanoTime();
                    net.gradient(x, eps, 1f, logPx, kl);
                    long t1 = System.nanoTime();
                    adam.update(net.parameterBytes(), net.gradientBytes());
                    long t2 = System.nanoTime();
                    gradient += t1 - t0;
                    update += t2 - t1;
                }
                double grad = gradient / 1e6 / block;
                double adamMs = update / 1e6 / block;
                if (b >= 0 && grad + adamMs < best[0] + best[1]) {
                    best = new double[]{grad, adamMs};
                }
            }
            System.out.printf("threads %d dense step breakdown (ms per step of %d, fastest block of %d steps): total %.3f = gradient %.3f"
                    + " (%.1f model GFLOP/s) + Adam %.3f%n", threads, batch, block, best[0] + best[1], best[0],
                    batch * flopsPerExample / best[0] / 1e6, best[1]);
        }
    }

    /** The first {@code batch} rows of {@code data} as 0/1 floats. */
    private static float[] pixels(Shard data, int batch) {
        float[] x = new float[batch * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = data.pixels()[i] != 0 ? 1f : 0f;
        }
        return x;
    }

    /** {@code n} seeded standard normal draws. */
    private static float[] noise(int n) {
        float[] eps = new float[n];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) rng.nextGaussian();
        }
        return eps;
    }
}
