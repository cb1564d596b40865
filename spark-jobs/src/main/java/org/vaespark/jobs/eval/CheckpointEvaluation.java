package org.vaespark.jobs.eval;

import com.typesafe.config.Config;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.cpu.ExecutorChoice;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.eval.BitsPerDim;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.progress.Progress;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.batch.CheckpointRef;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.jobs.leaderboard.ResultSchema;
import org.vaespark.jobs.progress.SparkProgress;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.Manifest;

/**
 * One evaluation of one checkpoint on one dataset split, distributed over Spark partitions:
 * IWAE-k (Burda et al. 2016) and the k-sample ELBO per example, their means with bits/dim
 * (docs/math.md, Evaluation protocol), the ELBO's terms, and the diagnostics asked for. Everything is written into
 * one evaluation directory of the {@link ResultsTable}, committed at the end or not at all. The
 * executor that evaluates ({@code model.backend}) is logged and recorded in every row.
 */
public final class CheckpointEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointEvaluation.class);

    private CheckpointEvaluation() {
    }

    /** What to evaluate. */
    public record Request(CheckpointRef ref, Checkpoint checkpoint, String data, EvalConfig eval, List<String> diagnostics,
                          int threadsPerTask, Config config) {
    }

    /** The summary rows and diagnostics of one evaluation. */
    public record Outcome(List<ResultRow> rows, List<MetricValue> metrics) {
    }

    /** Evaluates and commits under {@code key}; returns what was written (also when another batch committed first). */
    public static Outcome run(SparkSession spark, Request request, ResultsTable table, String key, boolean replace) {
        long start = System.nanoTime();
        Checkpoint checkpoint = request.checkpoint();
        VaeConfig model = checkpoint.modelConfig();
        TrainConfig trained = checkpoint.trainConfig();
        EvalConfig eval = request.eval();
        Manifest manifest = DatasetReader.manifest(spark, request.data());
        if (manifest.dimension() != model.inputDim()) {
            throw Errors.incompatibleCheckpoint(request.ref().uri(), "the dataset " + request.data() + " does not match the model's input size",
                    model.inputDim() + " pixels", manifest.dimension() + " pixels");
        }
        Dataset<Row> whole = DatasetReader.read(spark, request.data(), eval.split());
        Dataset<Row> split = SplitSubset.of(whole, eval.subset());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        DistributedIwae.Job job = new DistributedIwae.Job(model, checkpoint.parameters(), eval, trained.binarization(),
                request.threadsPerTask());
        ExecutorChoice executor = DistributedIwae.executor(job);
        long available = manifest.count(eval.split());
        // the subset takes min(available, N) ids of the split: known from the manifest, no Spark job to count it
        long total = SplitSubset.count(eval.subset(), available);
        LOG.info("evaluating {} (trained by executor {}) on the {}; examples: {} of {} in split {} ({})", Errors.redact(request.ref().uri()),
                checkpoint.metadata().executor() == null ? "not recorded" : checkpoint.metadata().executor(), executor.describe(),
                total, available, eval.split(),
                eval.subset().labelFor(available));
        String what = "evaluate " + Errors.redact(request.ref().run()) + " round " + checkpoint.metadata().round() + " (IWAE-" + eval.k()
                + " on " + eval.split() + ")";
        ExampleProgress passes = new ExampleProgress(Errors.redact(request.ref().run()) + " round " + checkpoint.metadata().round()
                + " on " + eval.split(), total, Progress.interval(request.config()));
        JavaRDD<ExampleEstimate> estimates = null;
        try {
            List<ExampleEstimate> all;
            try (SparkProgress progress = SparkProgress.counting(spark.sparkContext(), LOG, what, "examples", total,
                    passes.intervalSeconds())) {
                estimates = DistributedIwae.estimate(sc, split, job, Math.max(1, sc.defaultParallelism()), progress.accumulator())
                        .persist(StorageLevel.MEMORY_AND_DISK());
                all = estimates.collect().stream().sorted(Comparator.comparingLong(ExampleEstimate::id)).toList();
                progress.finish();
            }
            if (all.isEmpty()) {
                throw Errors.jobFailed(request.data(), "split '" + eval.split() + "' has no examples to evaluate",
                        "check eval.split and eval.max-examples", null);
            }
            Summary iwae = new Summary();
            Summary elbo = new Summary();
            for (ExampleEstimate e : all) {
                iwae.add(e.logLikelihood());
                elbo.add(e.elbo());
            }
            if (!Double.isFinite(iwae.mean())) {
                throw Errors.numericalFailure(request.ref().uri(), "the IWAE estimate is not finite (" + iwae.mean() + ")",
                        "the checkpoint's parameters may be corrupt; evaluate an earlier checkpoint");
            }
            String at = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
            List<MetricValue> metrics = new ArrayList<>(ElboTerms.of(model, eval.k(), all));
            Dataset<Row> evaluated = split;
            double wall = (System.nanoTime() - start) / 1e9;
            BitsPerDim bpd = BitsPerDim.of(model, trained.binarization());
            List<ResultRow> rows = List.of(
                    row(request, manifest, ResultSchema.METRIC_IWAE, iwae, bpd, wall, at, executor),
                    row(request, manifest, ResultSchema.METRIC_ELBO, elbo, bpd, wall, at, executor));
            String ran = executor.executor();
            Dataset<Row> perExample = spark.createDataFrame(estimates.map(e -> PerExampleSchema.toRow(e, ran)), PerExampleSchema.SCHEMA);
            table.commit(key, replace, tmp -> {
                if (request.diagnostics().contains(Diagnostics.IMPUTATION)) {
                    metrics.addAll(Diagnostics.imputation(spark, request, evaluated, tmp, passes));
                }
                if (request.diagnostics().contains(Diagnostics.POSTERIOR)) {
                    metrics.addAll(Diagnostics.posterior(spark, request, evaluated, tmp, passes));
                }
                if (request.diagnostics().contains(Diagnostics.AMORTIZATION)) {
                    metrics.addAll(AmortizationReport.compute(spark, request, evaluated, tmp, passes));
                }
                if (request.diagnostics().contains(Diagnostics.OOD)) {
                    metrics.addAll(Diagnostics.ood(spark, request, tmp, passes.intervalSeconds()));
                }
                if (request.diagnostics().contains(Diagnostics.FIGURES)) {
                    // the pictures' own seeded sample of the whole split, whatever eval.max-examples keeps
                    metrics.addAll(Diagnostics.figures(spark, request, whole, tmp));
                }
                if (request.diagnostics().contains(Diagnostics.MULTIMODAL)) {
                    // after the figures: its pictures join their directory
                    metrics.addAll(MultimodalReport.compute(spark, request, evaluated, tmp));
                }
                List<MetricSchema.Entry> entries = new ArrayList<>();
                for (MetricValue m : metrics) {
                    entries.add(new MetricSchema.Entry(request.ref().run(), request.ref().uri(), eval.split(), m, at));
                }
                table.writeSummary(tmp, rows);
                table.writeMetrics(tmp, entries);
                perExample.write().parquet(new Path(tmp, ResultsTable.PER_EXAMPLE).toString());
            });
            return new Outcome(rows, metrics);
        } finally {
            if (estimates != null) {
                estimates.unpersist();
            }
        }
    }

    private static ResultRow row(Request r, Manifest m, String metric, Summary s, BitsPerDim bpd, double wall, String at,
                                 ExecutorChoice executor) {
        Checkpoint c = r.checkpoint();
        EvalConfig eval = r.eval();
        Double bits = bpd.defined() ? bpd.convert(s.mean(), m.dimension()) : null;
        // the dataset as evaluated: its manifest names the source and, for ImageNet 64x64, the published version
        return new ResultRow(m.name(), c.trainConfig().binarization().name().toLowerCase(), m.datasetVersion(), r.ref().run(),
                r.ref().uri(), c.metadata().adamStep(), eval.split(), metric, eval.k(), s.mean(), s.standardError(), s.n(),
                eval.seed(), c.modelConfig().describe(), c.metadata().parameterCount(), c.metadata().examplesSeen(),
                c.metadata().trainWallSeconds(), wall, at, bits, "bits/dim: " + bpd.reason(), executor.executor(),
                eval.subset().labelFor(m.count(eval.split())));
    }
}
