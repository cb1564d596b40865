package org.vaespark.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.eval.Classifier;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.LabelledSubset;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.train.DriverRows;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.Manifest;
import picocli.CommandLine.Command;

/**
 * The semi-supervised benchmark of Kingma et al. (2014, Table 1): trains M2 in one process on the
 * training split with only {@code train.labelled-per-class} labels per class kept, for a budget of
 * {@code m2-benchmark.seconds} of the training thread's CPU time, then reports the test classification error of
 * argmax q(y|x) ({@link Classifier}). Prints the figures as JSON and writes them to
 * {@code m2-benchmark.output}.
 */
@Command(name = "m2", description = "Train M2 for a time budget and report its test classification error as JSON.")
public final class SemiSupervisedBenchmarkJob extends JobCommand {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SemiSupervisedBenchmarkJob.class);

    public static void main(String[] args) {
        JobCommand.main(new SemiSupervisedBenchmarkJob(), args);
    }

    @Override
    protected String appName() {
        return "vae-m2-benchmark";
    }

    @Override
    protected void run(SparkSession spark, Settings settings) throws Exception {
        var c = settings.config();
        String data = Keys.requiredString(c, "data.path", "a labelled dataset written by PrepareJob, e.g. data-out/mnist");
        Manifest manifest = DatasetReader.manifest(spark, data);
        VaeConfig model = VaeConfig.from(c, manifest.imageShape());
        if (model.kind() != ModelKind.M2) {
            throw Errors.badConfigValue("model.kind", model.kind().name().toLowerCase(), "m2 for the semi-supervised benchmark");
        }
        TrainConfig train = TrainConfig.from(c);
        EvalConfig eval = EvalConfig.from(c);
        double budget = Keys.positiveDouble(c, "m2-benchmark.seconds");
        int roundSteps = Keys.positiveInt(c, "m2-benchmark.round-steps");
        Integer testExamples = Keys.optionalPositiveInt(c, "m2-benchmark.test-examples");

        Shard all = LabelledSubset.apply(DriverRows.collect(spark, data, Keys.string(c, "data.train-split"), manifest.dimension()),
                train.labelledPerClass());
        long labelled = java.util.Arrays.stream(all.labels()).filter(l -> l != Shard.NO_LABEL).count();
        NativeThreads.configure(train.threadsPerTask());
        Vae vae = Vae.initialise(model, train.seed());
        PartitionTrainer trainer = new PartitionTrainer(train, all);
        NamedArrays p = vae.parameters();
        RoundResult r = new RoundResult(p, AdamState.zeros(p), 0, 0);
        // The budget is the training thread's CPU time (native work runs on it with one thread), so that a
        // machine shared with other jobs does not shorten the training.
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long cpu0 = cpu.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        double seconds = 0;
        long examples = 0;
        while (seconds < budget) {
            r = trainer.run(vae, r.parameters(), r.adam(), roundSteps);
            seconds = (cpu.getCurrentThreadCpuTime() - cpu0) / 1e9;
            examples += r.examples();
            LOG.info(String.format("m2: %d steps, %.0f CPU-s, training bound U(x) %.2f nats", r.adam().step(), seconds,
                    r.elboSum() / r.examples()));
        }
        double wallSeconds = (System.nanoTime() - wall0) / 1e9;
        vae.setParameters(r.parameters());

        Shard split = DriverRows.collect(spark, data, eval.split(), manifest.dimension());
        Shard test = split.subset(org.vaespark.core.eval.ExampleSubset.of(testExamples).select(split.ids()));
        Classifier.Result result = new Classifier(vae).evaluate(test, train.binarization(), eval.seed(), 100);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", "M2 (Kingma et al. 2014) " + TrainJob.describe(model) + " classifier " + model.structure().classifierHidden());
        out.put("dataset", manifest.source());
        out.put("binarization", train.binarization().name().toLowerCase());
        out.put("labelled_per_class", train.labelledPerClass());
        out.put("labelled_examples", labelled);
        out.put("train_examples", all.size());
        out.put("alpha", model.structure().classifierWeight());
        out.put("threads", train.threadsPerTask());
        out.put("budget_seconds", budget);
        out.put("train_cpu_seconds", seconds);
        out.put("train_wall_seconds", wallSeconds);
        out.put("train_steps", r.adam().step());
        out.put("train_epochs", (double) examples / all.size());
        out.put("final_training_bound_nats", r.elboSum() / r.examples());
        out.put("test_split", eval.split());
        out.put("test_examples", result.examples());
        out.put("test_errors", result.errors());
        out.put("test_classification_error", result.error());
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
        Path file = RunDirectory.local(Keys.string(c, "m2-benchmark.output"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, json + "\n");
        System.out.println(json);
    }
}
