package org.vaespark.jobs;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.jobs.train.TrainingRun;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.checkpoint.ResumeState;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.Likelihood;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.PriorKind;
import org.vaespark.core.model.PseudoInputInit;
import org.vaespark.core.train.EarlyStopping;
import org.vaespark.core.train.LocalTrainer;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.core.train.TrainEngine;
import org.vaespark.jobs.dl4j.Dl4jEngine;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.train.DriverRows;
import org.vaespark.jobs.train.EarlyStoppingRun;
import org.vaespark.jobs.train.ResumeCheck;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.jobs.train.Shards;
import org.vaespark.jobs.train.SparkTrainer;
import org.vaespark.jobs.train.AveragingLoop;
import org.vaespark.jobs.train.ExchangeConfig;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains a VAE on a prepared dataset by parameter averaging over Spark partitions. With
 * {@code --resume} (run.resume=true) a run continues from its newest checkpoint that loads
 * completely, bit for bit as if it had not stopped: the checkpoint holds the parameters, the Adam
 * moments and step, and the step fixes every batch and noise draw ({@link ResumeState}). Before
 * that, temporary directories a killed writer left are removed and metrics.jsonl is cut back to the
 * checkpoint's round, so the rounds run again are not recorded twice.
 * With train.early-stopping.patience-epochs set, training pauses for validations and keeps the best
 * checkpoint ({@link EarlyStoppingRun}).
 */
@Command(name = "train", mixinStandardHelpOptions = false,
        description = "Train a VAE by parameter averaging. Needs data.path and run.dir.")
public final class TrainJob extends JobCommand {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    @Option(names = "--resume", description = "Continue from the latest complete checkpoint in run.dir; same as run.resume=true.")
    boolean resume;

    public static void main(String[] args) {
        JobCommand.main(new TrainJob(), args);
    }

    @Override
    protected String appName() {
        return "vae-train";
    }

    @Override
    protected List<String> extraOverrides() {
        return resume ? List.of("run.resume=true") : List.of();
    }

    /** Runs the job; returns the final checkpoint. */
    public static Path train(SparkSession spark, Settings settings) {
        String data = Keys.requiredString(settings.config(), "data.path", "the root of a dataset written by PrepareJob");
        Manifest manifest = DatasetReader.manifest(spark, data);
        VaeConfig model = VaeConfig.from(settings.config(), manifest.imageShape());
        TrainConfig train = TrainConfig.from(settings.config());
        if (train.engine() == TrainEngine.DL4J) {
            Dl4jEngine.check(model);
        }
        checkEncoding(model, train, manifest);
        RunDirectory run = new RunDirectory(Keys.optionalString(settings.config(), "run.dir"));
        boolean resume = Keys.bool(settings.config(), "run.resume");
        SparkTrainer.Start start;
        String split = Keys.string(settings.config(), "data.train-split");
        if (!resume && CheckpointIO.latest(run.checkpoints()).isPresent()) {
            throw Errors.jobFailed(run.root().toString(), "the run directory already holds checkpoints",
                    "pass --resume (run.resume=true) to continue it, or choose a new run.dir", null);
        }
        Optional<CheckpointIO.Committed> latest = Optional.empty();
        if (resume) {
            CheckpointIO.cleanUp(run.checkpoints()).forEach(done -> LOG.info("checkpoints: " + done));
            latest = CheckpointIO.readLatest(run.checkpoints(), (dir, why) -> LOG.warn("passing over checkpoint " + dir.getFileName() + ", resuming from an earlier one: " + why));
        }
        if (latest.isPresent()) {
            Checkpoint c = latest.get().checkpoint();
            if (!c.modelConfig().equals(model)) {
                throw Errors.incompatibleCheckpoint(latest.get().dir().toString(), "the model configuration differs from the checkpoint's",
                        c.modelConfig(), model);
            }
            ResumeCheck.check(c, latest.get().dir(), settings.config(), manifest.count(split));
            run.truncateMetrics(c.metadata().round());
            start = SparkTrainer.Start.from(c);
            LOG.info("resuming from " + latest.get().dir());
        } else {
            run.create(settings.toJson());
            run.truncateMetrics(0);
            start = SparkTrainer.Start.initial(model, train, initialisationRows(spark, data, split, model, manifest.dimension()));
        }
        JavaRDD<Shard> shards = Shards.of(DatasetReader.read(spark, data, split), train.partitions(), manifest.dimension(),
                LocalTrainer.checkLabelHiding(model, train));
        long examples = manifest.count(split);
        long rounds = train.totalRounds(examples);
        LOG.info(String.format("training %s on %d examples of %s: %d partitions, %d rounds of %d steps, batch %d",
                describe(model), examples, data, train.partitions(), rounds, train.averagingFrequency(), train.batchSize()));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingRun out = new TrainingRun(model, train, settings.toJson(), run, data, manifest.source());
        LOG.info("training on the " + out.executor().describe());
        Path last = train.engine() == TrainEngine.DL4J
                ? new Dl4jEngine(out).train(sc, shards, start, rounds)
                : AveragingLoop.of(out, ExchangeConfig.from(settings.config())).train(sc, shards, start, rounds);
        shards.unpersist();
        return last == null ? latest.orElseThrow().dir() : last;
    }

    @Override
    protected void run(SparkSession spark, Settings settings) {
        if (EarlyStopping.from(settings.config()).enabled()) {
            Path best = EarlyStoppingRun.train(spark, settings, TrainJob::train);
            System.out.println("best checkpoint by validation ELBO: " + best);
            return;
        }
        Path last = train(spark, settings);
        System.out.println("final checkpoint: " + last);
    }

    /**
     * Training rows the driver needs to initialise the model: for data-initialised VampPrior
     * pseudo-inputs, the first 20 K rows by id (K chosen among them by the seed); none otherwise.
     */
    private static Shard initialisationRows(SparkSession spark, String data, String split, VaeConfig model, int dim) {
        if (model.prior().kind() != PriorKind.VAMP || model.prior().pseudoInit() != PseudoInputInit.DATA) {
            return new Shard(0, new long[0], new byte[0], dim);
        }
        return DriverRows.first(spark, data, split, dim, 20 * model.prior().components());
    }

    /** A short model description for logs and the leaderboard. */
    public static String describe(VaeConfig m) {
        return m.describe();
    }

    private static void checkEncoding(VaeConfig model, TrainConfig train, Manifest manifest) {
        if (train.binarization() == Binarization.STATIC && !manifest.binarized()) {
            throw Errors.badConfigValue("data.binarization", "static",
                    "dynamic or none for this dataset: its pixels are grey levels (" + manifest.pixelEncoding() + "), not 0/1");
        }
        boolean grey = train.binarization() == Binarization.NONE || train.binarization() == Binarization.DEQUANTIZE;
        if (model.likelihood() == Likelihood.BERNOULLI && grey) {
            throw Errors.badConfigValue("data.binarization", train.binarization().name().toLowerCase(),
                    "static or dynamic with model.likelihood=bernoulli (a Bernoulli likelihood needs binary data)");
        }
        if (model.likelihood().discrete() && train.binarization() != Binarization.NONE) {
            throw Errors.badConfigValue("data.binarization", train.binarization().name().toLowerCase(),
                    "none with a discretized logistic likelihood (it models the 256 levels themselves)");
        }
    }
}
