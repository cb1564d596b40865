package org.vaespark.jobs.eval;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.checkpoint.Checkpoint;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.vaespark.core.config.Keys;
import org.vaespark.core.eval.ImputationComparison;
import org.vaespark.core.eval.ImputationConfig;
import org.vaespark.core.eval.NonAmortizedConfig;
import org.vaespark.core.eval.NonAmortizedImputation;
import org.vaespark.prep.DatasetReader;
import org.vaespark.core.eval.posterior.PosteriorConfig;
import org.vaespark.jobs.figures.Figure;
import org.vaespark.jobs.figures.FigureConfig;
import org.vaespark.jobs.figures.Figures;

/**
 * The optional parts of an evaluation ({@code evaluate.diagnostics}): missing-value imputation
 * (pseudo-Gibbs, Rezende et al. 2014, beside non-amortized inference, Agarwal et al. 2023) and the pictures (prior samples, reconstructions, interpolations,
 * VampPrior pseudo-inputs); the amortization gap is {@link AmortizationReport}. Each returns its figures as {@link MetricValue}s; a picture that
 * does not apply to the model is recorded absent with its reason.
 */
final class Diagnostics {
    static final String IMPUTATION = "imputation";
    static final String FIGURES = "figures";
    static final String FIGURES_DIR = "figures";
    static final String OOD = "ood";
    static final String POSTERIOR = "posterior";
    static final String AMORTIZATION = "amortization";
    static final String MULTIMODAL = "multimodal";
    static final String LATENT_DIR = "latent";
    static final StructType LATENT = new StructType()
            .add("dim", DataTypes.IntegerType, false)
            .add("kl", DataTypes.DoubleType, true)
            .add("mean_variance", DataTypes.DoubleType, true)
            .add("note", DataTypes.StringType, true)
            .add("layer", DataTypes.StringType, true);

    /** One row per imputed example: both methods on its mask. */
    static final StructType IMPUTED = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("masked", DataTypes.IntegerType, false)
            .add("mse_gibbs", DataTypes.DoubleType, false)
            .add("mse_non_amortized", DataTypes.DoubleType, false)
            .add("masked_loglik_gibbs", DataTypes.DoubleType, false)
            .add("masked_loglik_non_amortized", DataTypes.DoubleType, false)
            .add("observed_elbo_start", DataTypes.DoubleType, false)
            .add("observed_elbo_end", DataTypes.DoubleType, false);

    private Diagnostics() {
    }

    /**
     * Pseudo-Gibbs (Rezende et al. 2014) and non-amortized imputation (Agarwal et al. 2023) on the same masks; each
     * example's figures of both methods go to {@code dir}/imputation; progress lines per batch through {@code progress}.
     */
    static List<MetricValue> imputation(SparkSession spark, CheckpointEvaluation.Request r, Dataset<Row> split, Path dir,
                                        ExampleProgress progress) {
        Checkpoint c = r.checkpoint();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        DistributedImputation.Job job = new DistributedImputation.Job(c.modelConfig(), c.parameters(),
                ImputationConfig.from(r.config()), r.eval(), c.trainConfig().binarization(), r.threadsPerTask(),
                nonAmortized(spark, r));
        DistributedImputation.Report report = DistributedImputation.report(sc, split, job, Math.max(1, sc.defaultParallelism()),
                progress);
        List<Row> rows = new ArrayList<>();
        for (ImputationComparison e : report.comparisons()) {
            rows.add(RowFactory.create(e.id(), e.masked(), e.gibbsMse(), e.refinedMse(), e.gibbsLogLik(), e.refinedLogLik(),
                    e.observedElboStart(), e.observedElboEnd()));
        }
        if (!rows.isEmpty()) {
            spark.createDataFrame(rows, IMPUTED).coalesce(1).write().parquet(new Path(dir, IMPUTATION).toString());
        }
        return report.metrics();
    }

    /** Non-amortized imputation's settings and the training mean of each input, or the reason the model is refused. */
    private static DistributedImputation.NonAmortized nonAmortized(SparkSession spark, CheckpointEvaluation.Request r) {
        Checkpoint c = r.checkpoint();
        NonAmortizedConfig config = NonAmortizedConfig.from(r.config());
        String refused = NonAmortizedImputation.unavailable(c.modelConfig());
        if (refused != null) {
            return new DistributedImputation.NonAmortized(config, null, null,
                    "non-amortized imputation needs one diagonal-Gaussian posterior per example; " + refused);
        }
        String trainSplit = Keys.string(c.settings().config(), "data.train-split");
        String where = r.data() + " split " + trainSplit;
        float[] mean = TrainingMean.of(DatasetReader.read(spark, r.data(), trainSplit), c.modelConfig().inputDim(),
                c.trainConfig().binarization(), r.eval().seed(), where);
        return new DistributedImputation.NonAmortized(config, mean, "the per-pixel mean of " + where, null);
    }

    /**
     * Aggregated-posterior statistics (Hoffman &amp; Johnson 2016) and the post-hoc mixture prior;
     * the per-dimension KL and Var_x(E_q[z_j]) go to {@code dir}/latent; progress lines per batch of each pass through
     * {@code progress}.
     */
    static List<MetricValue> posterior(SparkSession spark, CheckpointEvaluation.Request r, Dataset<Row> split, Path dir,
                                       ExampleProgress progress) {
        Checkpoint c = r.checkpoint();
        PosteriorReport report = PosteriorStatistics.compute(spark, split, c.modelConfig(), c.parameters(), r.eval(),
                c.trainConfig().binarization(), r.threadsPerTask(), PosteriorConfig.from(r.config()), progress);
        int dims = report.meanVariance() != null ? report.meanVariance().length
                : report.klPerDim() != null ? report.klPerDim().length : 0;
        List<Row> rows = new ArrayList<>();
        for (int j = 0; j < dims; j++) {
            Double kl = report.klPerDim() == null || Double.isNaN(report.klPerDim()[j]) ? null : report.klPerDim()[j];
            rows.add(RowFactory.create(j, kl, report.meanVariance() == null ? null : report.meanVariance()[j],
                    kl == null ? "kl: " + report.klPerDimNote() : null,
                    report.dimLayers() == null ? null : report.dimLayers().get(j)));
        }
        if (dims > 0) {
            spark.createDataFrame(rows, LATENT).coalesce(1).write().parquet(new Path(dir, LATENT_DIR).toString());
        }
        return report.metrics();
    }

    /**
     * Anomaly scores of {@code ood.dataset} against the evaluated split, with the AUROC; the per-row scores go to
     * {@code dir}/ood; progress lines every {@code intervalSeconds}.
     */
    static List<MetricValue> ood(SparkSession spark, CheckpointEvaluation.Request r, Path dir, double intervalSeconds) {
        OodScore.Config ood = OodScore.Config.from(r.config());
        if (ood.dataset() == null) {
            throw org.vaespark.core.errors.Errors.badConfigValue(OodScore.DATASET, null,
                    "the prepared out-of-distribution dataset to score (evaluate.diagnostics lists ood)");
        }
        OodScore.Result result = OodScore.score(spark, r.checkpoint(), r.ref().uri(), r.data(), ood, r.eval(), r.threadsPerTask(),
                intervalSeconds);
        result.scores().write().parquet(new Path(dir, OOD).toString());
        return result.metrics();
    }

    /** Writes the pictures into {@code dir}/figures and returns the absent ones as metrics. */
    static List<MetricValue> figures(SparkSession spark, CheckpointEvaluation.Request r, Dataset<Row> split, Path dir) {
        List<MetricValue> absent = new ArrayList<>();
        for (Figure f : Figures.write(spark, r.checkpoint(), split, new Path(dir, FIGURES_DIR), FigureConfig.from(r.config()))) {
            if (!f.present()) {
                absent.add(MetricValue.absent("figure_" + f.name(), f.note()));
            }
        }
        return absent;
    }
}
