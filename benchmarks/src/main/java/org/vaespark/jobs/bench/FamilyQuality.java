package org.vaespark.jobs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vaespark.core.config.Settings;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.IwaeEstimator;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.LocalTrainer;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.TrainConfig;

/**
 * The family's quality figure of one experiment: trained in one process on one thread for a CPU
 * budget (thread CPU time), then scored with IWAE-k (k = {@code eval.k}) on a hash subset of the test images ({@link org.vaespark.core.eval.ExampleSubset}).
 */
public final class FamilyQuality {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FamilyQuality.class);
    private static final int STEPS_BETWEEN_CLOCK_READS = 20;

    private FamilyQuality() {
    }

    public static Map<String, Object> measure(String name, Settings s, FamilyData data, double budget, int images) {
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
        long[] ids = data.evaluated(n).ids();
        float[] x = data.testInputs(n, train, eval);
        IwaeEstimator iwae = new IwaeEstimator(Vae.withParameters(model, params), eval.k(), eval.chunk(), eval.seed(), train.backend());
        Summary ll = new Summary();
        Summary elbo = new Summary();
        long evalStart = System.nanoTime();
        for (int from = 0; from < n; from += eval.batchSize()) {
            int to = Math.min(n, from + eval.batchSize());
            for (ExampleEstimate e : iwae.estimate(Arrays.copyOfRange(ids, from, to), Arrays.copyOfRange(x, from * dim, to * dim))) {
                ll.add(e.logLikelihood());
                elbo.add(e.elbo());
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("experiment", name);
        row.put("model", model.describe());
        row.put("executor", trainer.executor(model).executor());
        row.put("executor_reason", trainer.executor(model).reason());
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
        LOG.info("family benchmark: " + name + " done: " + row);
        return row;
    }
}
