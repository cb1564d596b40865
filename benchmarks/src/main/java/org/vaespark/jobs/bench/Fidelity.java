package org.vaespark.jobs.bench;

import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.IwaeEstimator;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.prep.Manifest;

/**
 * Whether the fast path trains the same model as the graph: both train from the same initial
 * parameters for the same steps (same batches, same noise), then both are scored with IWAE-k
 * (Burda et al. 2016) on the same test images with the same importance samples. The fast path may
 * differ only by float rounding, so the two test log-likelihoods must agree within their Monte-Carlo
 * error (two combined standard errors); the paired per-image difference is reported too.
 */
public final class Fidelity {
    private static final Logger LOG = LoggerFactory.getLogger(Fidelity.class);

    private Fidelity() {
    }

    /**
     * Trains dense and graph for {@code steps} steps on {@code rows}, scores the first {@code images} rows of
     * {@code test} with each, and adds the figures to {@code out}.
     */
    public static void measure(Shard rows, Shard test, Manifest manifest, VaeConfig model, TrainConfig train,
                               EvalConfig eval, int steps, int images, Map<String, Object> out) {
        int dim = manifest.dimension();
        NativeThreads.configure(Runtime.getRuntime().availableProcessors());
        int n = Math.min(images, test.size());
        long[] ids = Arrays.copyOf(test.ids(), n);
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            PixelEncoding.encode(test.pixels(), i, dim, ids[i], train.binarization(), eval.seed(), 0, x, i);
        }
        double[][] logPx = new double[2][];
        String[] paths = {"dense", "graph"};
        for (int p = 0; p < 2; p++) {
            LOG.info("benchmark: fidelity, " + paths[p] + " path, " + steps + " steps");
            Vae vae = Vae.initialise(model, train.seed());
            NamedArrays start = vae.parameters();
            long t0 = System.nanoTime();
            NamedArrays trained = new PartitionTrainer(train.withBackend(p == 0 ? org.vaespark.core.cpu.Backend.CPU : org.vaespark.core.cpu.Backend.GRAPH), rows).run(vae, start, AdamState.zeros(start), steps).parameters();
            out.put("fidelity_" + paths[p] + "_train_seconds", (System.nanoTime() - t0) / 1e9);
            IwaeEstimator iwae = new IwaeEstimator(Vae.withParameters(model, trained), eval.k(), eval.chunk(), eval.seed(),
                    eval.backend());
            logPx[p] = new double[n];
            for (int from = 0; from < n; from += eval.batchSize()) {
                int to = Math.min(n, from + eval.batchSize());
                ExampleEstimate[] e = iwae.estimate(Arrays.copyOfRange(ids, from, to), Arrays.copyOfRange(x, from * dim, to * dim));
                for (int i = 0; i < e.length; i++) {
                    logPx[p][from + i] = e[i].logLikelihood();
                }
            }
        }
        double[] diff = new double[n];
        for (int i = 0; i < n; i++) {
            diff[i] = logPx[0][i] - logPx[1][i];
        }
        double[] dense = meanAndError(logPx[0]);
        double[] graph = meanAndError(logPx[1]);
        double[] paired = meanAndError(diff);
        double combined = Math.hypot(dense[1], graph[1]);
        out.put("fidelity_steps", steps);
        out.put("fidelity_images", n);
        out.put("fidelity_k", eval.k());
        out.put("fidelity_test_iwae_dense", dense[0]);
        out.put("fidelity_test_iwae_dense_stderr", dense[1]);
        out.put("fidelity_test_iwae_graph", graph[0]);
        out.put("fidelity_test_iwae_graph_stderr", graph[1]);
        out.put("fidelity_difference", dense[0] - graph[0]);
        out.put("fidelity_paired_difference_stderr", paired[1]);
        out.put("fidelity_within_mc_error", Math.abs(dense[0] - graph[0]) <= 2 * combined);
        LOG.info(String.format("benchmark: test IWAE-%d after %d steps: dense %.3f ± %.3f, graph %.3f ± %.3f (difference %.3f, paired s.e. %.3f)",
                eval.k(), steps, dense[0], dense[1], graph[0], graph[1], dense[0] - graph[0], paired[1]));
    }

    private static double[] meanAndError(double[] v) {
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double d : v) {
            ss += (d - mean) * (d - mean);
        }
        return new double[]{mean, v.length < 2 ? Double.NaN : Math.sqrt(ss / (v.length - 1) / v.length)};
    }
}
