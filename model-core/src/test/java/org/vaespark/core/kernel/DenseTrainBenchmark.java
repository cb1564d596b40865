package org.vaespark.core.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.train.AdamState;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;

/**
 * Training throughput of the reference model (MLP 784-300-300-40, Bernoulli, batch 100, Adam;
 * Kingma &amp; Welling 2014, Kingma &amp; Ba 2015) on the dense and the graph path against this
 * machine's sgemm rate, for 1 and 2 threads, with a breakdown of the dense step. Prints figures,
 * asserts nothing; runs only when asked:
 * {@code mvn -o -q -pl model-core test -Dtest=DenseTrainBenchmark -Dvaespark.bench=true -Dvaespark.dense.profile=true}
 */
@EnabledIfSystemProperty(named = "vaespark.bench", matches = "true")
class DenseTrainBenchmark {
    private static final int REPEATS = 5;

    @Test
    void referenceModelThroughput() throws Exception {
        Settings s = Settings.defaults();
        TrainConfig tc = TrainConfig.from(s.config());
        VaeConfig mc = VaeConfig.from(s.config(), 784);
        Shard data = MnistRows.binarized("train", 5000, 0);
        double flopsPerExample = 3.0 * (mc.encoderFlopsPerExample() + mc.decoderFlopsPerSample());
        System.out.printf("load average before: %s", Files.readString(Path.of("/proc/loadavg")));
        System.out.printf("model %s, batch %d, model FLOPs/example %.4f M (3 x forward GEMMs), vectorised kernels: %s%n",
                mc.describe(), tc.batchSize(), flopsPerExample / 1e6, PixelKernels.vectorised());
        for (int threads : new int[]{1, 2}) {
            NativeThreads.configure(threads);
            double sgemm = sgemm(1024);
            double dense = examplesPerSecond(new PartitionTrainer(tc, data), mc, 150);
            double graph = examplesPerSecond(new PartitionTrainer(tc, data, false), mc, 30);
            System.out.printf("threads %d: sgemm 1024^3 %.1f GFLOP/s | dense %.0f ex/s = %.1f GFLOP/s = %.0f%% of sgemm"
                            + " | graph %.0f ex/s = %.1f GFLOP/s = %.0f%% of sgemm%n", threads, sgemm / 1e9,
                    dense, dense * flopsPerExample / 1e9, 100 * dense * flopsPerExample / sgemm,
                    graph, graph * flopsPerExample / 1e9, 100 * graph * flopsPerExample / sgemm);
            breakdown(mc, tc, data, threads, flopsPerExample);
        }
        System.out.printf("load average after: %s", Files.readString(Path.of("/proc/loadavg")));
    }

    /** Median rate of a large square sgemm through Nd4j.gemm. */
    private static double sgemm(int n) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, n);
        double[] rates = new double[REPEATS + 2];
        for (int i = 0; i < rates.length; i++) {
            long t = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            rates[i] = 2.0 * n * n * n / ((System.nanoTime() - t) / 1e9);
        }
        return median(Arrays.copyOfRange(rates, 2, rates.length));
    }

    /** Median examples per second of rounds of {@code steps} local steps, after one warm-up round. */
    private static double examplesPerSecond(PartitionTrainer trainer, VaeConfig mc, int steps) {
        Vae model = Vae.initialise(mc, 1);
        NamedArrays p = model.parameters();
        RoundResult r = trainer.run(model, p, AdamState.zeros(p), steps / 3);
        double[] rates = new double[3];
        for (int i = 0; i < rates.length; i++) {
            r = trainer.run(model, r.parameters(), r.adam(), steps);
            rates[i] = r.examples() / r.localSeconds();
        }
        return median(rates);
    }

    /** Where a dense step's time goes: GEMMs (with -Dvaespark.dense.profile=true), the rest of the gradient, Adam. */
    private static void breakdown(VaeConfig mc, TrainConfig tc, Shard data, int threads, double flopsPerExample) {
        Vae model = Vae.initialise(mc, 1);
        DenseLayout layout = new DenseLayout(model.layout());
        int batch = tc.batchSize();
        float[] x = new float[batch * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = data.pixels()[i] != 0 ? 1f : 0f;
        }
        float[] eps = new float[batch * mc.latentDim()];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) rng.nextGaussian();
        }
        double[] logPx = new double[batch];
        double[] kl = new double[batch];
        int steps = 300;
        try (DenseVae net = new DenseVae(mc, layout);
             DenseAdam adam = new DenseAdam(1e-3, 0.9, 0.999, 1e-8, new float[layout.total()], new float[layout.total()], 0, threads)) {
            net.setParameters(layout.flatten(model.parameters()));
            long gradient = 0;
            long update = 0;
            long gemm0 = 0;
            for (int i = -50; i < steps; i++) {
                if (i == 0) {
                    gradient = 0;
                    update = 0;
                    gemm0 = DenseVae.gemmNanos();
                }
                long t0 = System.nanoTime();
                net.gradient(x, eps, 1f, logPx, kl);
                long t1 = System.nanoTime();
                adam.update(net.parameterBytes(), net.gradientBytes());
                long t2 = System.nanoTime();
                gradient += t1 - t0;
                update += t2 - t1;
            }
            double gemms = (DenseVae.gemmNanos() - gemm0) / 1e6 / steps;
            double grad = gradient / 1e6 / steps;
            double adamMs = update / 1e6 / steps;
            System.out.printf("threads %d dense step breakdown (ms per step of %d): total %.3f = GEMMs %.3f (%.1f GFLOP/s) + other gradient work %.3f + Adam %.3f%n",
                    threads, batch, grad + adamMs, gemms, gemms > 0 ? batch * flopsPerExample / gemms / 1e6 : Double.NaN,
                    grad - gemms, adamMs);
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
