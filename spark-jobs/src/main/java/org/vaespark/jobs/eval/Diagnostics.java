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
import org.vaespark.core.eval.ImputationConfig;
import org.vaespark.core.eval.posterior.PosteriorConfig;
import org.vaespark.jobs.figures.Figure;
import org.vaespark.jobs.figures.FigureConfig;
import org.vaespark.jobs.figures.Figures;

/**
 * The optional parts of an evaluation ({@code evaluate.diagnostics}): missing-value imputation
 * (Rezende et al. 2014) and the pictures (prior samples, reconstructions, interpolations,
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
    static final String LATENT_DIR = "latent";
    static final StructType LATENT = new StructType()
            .add("dim", DataTypes.IntegerType, false)
            .add("kl", DataTypes.DoubleType, true)
            .add("mean_variance", DataTypes.DoubleType, true)
            .add("note", DataTypes.StringType, true)
            .add("layer", DataTypes.StringType, true);

    private Diagnostics() {
    }

    static List<MetricValue> imputation(SparkSession spark, CheckpointEvaluation.Request r, Dataset<Row> split) {
        Checkpoint c = r.checkpoint();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return DistributedImputation.metrics(sc, split, new DistributedImputation.Job(c.modelConfig(), c.parameters(),
                ImputationConfig.from(r.config()), r.eval(), c.trainConfig().binarization(), r.threadsPerTask()),
                Math.max(1, sc.defaultParallelism()));
    }

    /**
     * Aggregated-posterior statistics (Hoffman &amp; Johnson 2016) and the post-hoc mixture prior;
     * the per-dimension KL and Var_x(E_q[z_j]) go to {@code dir}/latent.
     */
    static List<MetricValue> posterior(SparkSession spark, CheckpointEvaluation.Request r, Dataset<Row> split, Path dir) {
        Checkpoint c = r.checkpoint();
        PosteriorReport report = PosteriorStatistics.compute(spark, split, c.modelConfig(), c.parameters(), r.eval(),
                c.trainConfig().binarization(), r.threadsPerTask(), PosteriorConfig.from(r.config()));
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

    /** Anomaly scores of {@code ood.dataset} against the evaluated split, with the AUROC; the per-row scores go to {@code dir}/ood. */
    static List<MetricValue> ood(SparkSession spark, CheckpointEvaluation.Request r, Path dir) {
        OodScore.Config ood = OodScore.Config.from(r.config());
        if (ood.dataset() == null) {
            throw org.vaespark.core.errors.Errors.badConfigValue(OodScore.DATASET, null,
                    "the prepared out-of-distribution dataset to score (evaluate.diagnostics lists ood)");
        }
        OodScore.Result result = OodScore.score(spark, r.checkpoint(), r.ref().uri(), r.data(), ood, r.eval(), r.threadsPerTask());
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
