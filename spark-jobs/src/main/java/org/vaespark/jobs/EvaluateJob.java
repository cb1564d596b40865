package org.vaespark.jobs;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.eval.DistributedIwae;
import org.vaespark.jobs.eval.PerExampleSchema;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.jobs.leaderboard.ResultSchema;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.Manifest;
import picocli.CommandLine.Command;

/**
 * Evaluates a checkpoint on a dataset split: IWAE-k (Burda et al. 2016; k = 5000 by default)
 * and the k-sample ELBO per example, distributed over Spark partitions; writes the per-example
 * table and one summary row per metric into the results table.
 */
@Command(name = "evaluate", description = "IWAE-k and ELBO of a checkpoint. Needs run.dir (or evaluate.checkpoint) and results.dir.")
public final class EvaluateJob extends JobCommand {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);

    public static void main(String[] args) {
        JobCommand.main(new EvaluateJob(), args);
    }

    @Override
    protected String appName() {
        return "vae-evaluate";
    }

    @Override
    protected void run(SparkSession spark, Settings settings) {
        for (ResultRow r : evaluate(spark, settings)) {
            System.out.printf("%s %s %s on %s/%s: %.3f ± %.3f nats (n=%d, k=%d)%n", r.run(), r.checkpoint(), r.estimatorLabel(),
                    r.dataset(), r.split(), r.mean(), r.stderr(), r.n(), r.estimatorK());
        }
    }

    /** Evaluates and appends to the results table; returns the summary rows written. */
    public static List<ResultRow> evaluate(SparkSession spark, Settings settings) {
        long start = System.nanoTime();
        Path checkpointDir = checkpoint(settings);
        Checkpoint checkpoint = CheckpointIO.read(checkpointDir);
        VaeConfig model = checkpoint.modelConfig();
        TrainConfig trained = checkpoint.trainConfig();
        EvalConfig eval = EvalConfig.from(settings.config());
        String data = Keys.optionalString(settings.config(), "data.path");
        data = data == null ? checkpoint.metadata().dataset() : data;
        Manifest manifest = DatasetReader.manifest(spark, data);
        if (manifest.dimension() != model.inputDim()) {
            throw Errors.incompatibleCheckpoint(checkpointDir.toString(), "the dataset " + data + " does not match the model's input size",
                    model.inputDim() + " pixels", manifest.dimension() + " pixels");
        }
        Dataset<Row> split = DatasetReader.read(spark, data, eval.split());
        if (eval.maxExamples() != null) {
            split = split.filter(functions.col(ImageSchema.ID).lt(eval.maxExamples()));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int threads = Keys.positiveInt(settings.config(), "runtime.threads-per-task");
        JavaRDD<ExampleEstimate> estimates = DistributedIwae.estimate(sc, split,
                new DistributedIwae.Job(model, checkpoint.parameters(), eval, trained.binarization(), threads),
                Math.max(1, sc.defaultParallelism()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        List<ExampleEstimate> all = estimates.collect().stream().sorted(Comparator.comparingLong(ExampleEstimate::id)).toList();
        if (all.isEmpty()) {
            throw Errors.jobFailed(data, "split '" + eval.split() + "' has no examples to evaluate", "check eval.split and eval.max-examples", null);
        }
        String run = checkpointDir.getParent().getParent().getFileName().toString();
        String ckpt = checkpointDir.getFileName().toString();
        ResultsTable table = new ResultsTable(spark, Keys.optionalString(settings.config(), "results.dir"));
        table.writePerExample(spark.createDataFrame(estimates.map(PerExampleSchema::toRow), PerExampleSchema.SCHEMA),
                run, ckpt, eval.split(), eval.k());
        estimates.unpersist();

        Summary iwae = new Summary();
        Summary elbo = new Summary();
        for (ExampleEstimate e : all) {
            iwae.add(e.logLikelihood());
            elbo.add(e.elbo());
        }
        if (!Double.isFinite(iwae.mean())) {
            throw Errors.numericalFailure(checkpointDir.toString(), "the IWAE estimate is not finite (" + iwae.mean() + ")",
                    "the checkpoint's parameters may be corrupt; evaluate an earlier checkpoint");
        }
        double wall = (System.nanoTime() - start) / 1e9;
        String at = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        String binarization = trained.binarization().name().toLowerCase();
        String description = TrainJob.describe(model);
        long params = checkpoint.metadata().parameterCount();
        List<ResultRow> rows = List.of(
                row(checkpoint, manifest, run, checkpointDir, eval, ResultSchema.METRIC_IWAE, iwae, binarization, description, params, wall, at),
                row(checkpoint, manifest, run, checkpointDir, eval, ResultSchema.METRIC_ELBO, elbo, binarization, description, params, wall, at));
        table.append(rows);
        LOG.info(String.format("evaluated %s on %d examples in %.1f s", checkpointDir, all.size(), wall));
        return rows;
    }

    private static ResultRow row(Checkpoint c, Manifest m, String run, Path dir, EvalConfig eval, String metric, Summary s,
                                 String binarization, String description, long params, double wall, String at) {
        // the dataset as evaluated: its manifest names the source and, for ImageNet 64x64, the published version
        return new ResultRow(m.source(), binarization, m.datasetVersion(), run, dir.toString(), c.metadata().adamStep(),
                eval.split(), metric, eval.k(), s.mean(), s.standardError(), s.n(), eval.seed(), description, params,
                c.metadata().examplesSeen(), c.metadata().trainWallSeconds(), wall, at);
    }

    private static Path checkpoint(Settings settings) {
        String explicit = Keys.optionalString(settings.config(), "evaluate.checkpoint");
        if (explicit != null) {
            return RunDirectory.local(explicit);
        }
        RunDirectory run = new RunDirectory(Keys.optionalString(settings.config(), "run.dir"));
        return CheckpointIO.latest(run.checkpoints()).orElseThrow(() -> Errors.missingInput(run.checkpoints().toString(),
                "a committed checkpoint (round-NNNNNN/ with metadata.json); train first or set evaluate.checkpoint"));
    }
}
