package org.vaespark.jobs.eval;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.cpu.LocalPosterior;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.eval.amortization.AmortizationConfig;
import org.vaespark.core.eval.amortization.ExampleGap;

/**
 * The {@code amortization} diagnostic of an evaluation (Cremer, Li &amp; Duvenaud 2018): the mean ± s.e. over the
 * evaluated examples of the approximation gap log p̂(x) − ELBO(q*) and the amortization gap ELBO(q*) − ELBO(q_φ),
 * with ELBO(q_φ), ELBO(q*) and log p̂(x) beside them; the per-example values as Parquet in {@code amortization/}
 * and the mean ELBO(q*) of the refinement's own samples against Adam steps in {@code amortization.png}, which shows
 * whether the refinement converged. A model whose posterior is not one diagonal Gaussian gets every figure absent
 * with the reason.
 */
public final class AmortizationReport {
    private static final Logger LOG = LoggerFactory.getLogger(AmortizationReport.class);
    static final String DIR = "amortization";
    static final String PLOT = "amortization.png";
    static final String APPROXIMATION_GAP = "approximation_gap";
    /** The metric of the gap ELBO(q*) − ELBO(q_φ), also the leaderboard's column. */
    public static final String AMORTIZATION_GAP = "amortization_gap";
    static final String ELBO_ENCODER = "amortization_elbo_encoder";
    static final String ELBO_REFINED = "amortization_elbo_refined";
    static final String LOG_P_HAT = "amortization_log_p_hat";
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("elbo_encoder", DataTypes.DoubleType, false)
            .add("iwae_encoder", DataTypes.DoubleType, false)
            .add("elbo_refined", DataTypes.DoubleType, false)
            .add("iwae_refined", DataTypes.DoubleType, false)
            .add("log_p_hat", DataTypes.DoubleType, false)
            .add(APPROXIMATION_GAP, DataTypes.DoubleType, false)
            .add(AMORTIZATION_GAP, DataTypes.DoubleType, false);

    private AmortizationReport() {
    }

    /** The figures, the per-example Parquet and the plot into {@code dir}; progress lines per batch through {@code progress}. */
    static List<MetricValue> compute(SparkSession spark, CheckpointEvaluation.Request r, Dataset<Row> split, Path dir,
                                     ExampleProgress progress) {
        Checkpoint c = r.checkpoint();
        String refused = LocalPosterior.unavailable(c.modelConfig());
        if (refused != null) {
            String why = "not computed: the amortization gap needs one diagonal-Gaussian posterior per example; " + refused;
            return List.of(MetricValue.absent(APPROXIMATION_GAP, why), MetricValue.absent(AMORTIZATION_GAP, why));
        }
        AmortizationConfig config = AmortizationConfig.from(r.config());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        DistributedAmortization.Job job = new DistributedAmortization.Job(c.modelConfig(), c.parameters(), r.eval(), config,
                c.trainConfig().binarization(), r.threadsPerTask());
        int partitions = Math.max(1, sc.defaultParallelism());
        List<ExampleGap> gaps = progress.collect(spark.sparkContext(), LOG, "amortization gap", progress.examples(),
                        done -> DistributedAmortization.estimate(sc, split, job, partitions, done))
                .stream().sorted(Comparator.comparingLong(ExampleGap::id)).toList();
        if (gaps.isEmpty()) {
            return List.of(MetricValue.absent(APPROXIMATION_GAP, "not computed: no examples"),
                    MetricValue.absent(AMORTIZATION_GAP, "not computed: no examples"));
        }
        List<Row> rows = new ArrayList<>();
        Summary approximation = new Summary();
        Summary amortization = new Summary();
        Summary encoder = new Summary();
        Summary refined = new Summary();
        Summary logP = new Summary();
        double[] trace = new double[config.steps()];
        for (ExampleGap g : gaps) {
            approximation.add(g.approximationGap());
            amortization.add(g.amortizationGap());
            encoder.add(g.elboEncoder());
            refined.add(g.elboRefined());
            logP.add(g.logLikelihood());
            for (int t = 0; t < trace.length; t++) {
                trace[t] += g.trace()[t] / gaps.size();
            }
            rows.add(RowFactory.create(g.id(), g.elboEncoder(), g.iwaeEncoder(), g.elboRefined(), g.iwaeRefined(),
                    g.logLikelihood(), g.approximationGap(), g.amortizationGap()));
        }
        spark.createDataFrame(rows, SCHEMA).coalesce(1).write().parquet(new Path(dir, DIR).toString());
        write(spark, new Path(dir, PLOT), plot(trace, config));
        int k = r.eval().k();
        String how = "q* refined per example from the encoder's output by " + config.describe()
                + "; ELBOs over " + k + " samples, q* scored with fresh noise; log p̂ = max of IWAE-" + k
                + " with q_φ and with q* as the proposal; never clipped";
        return List.of(
                metric(APPROXIMATION_GAP, approximation, k, "log p̂(x) − ELBO(q*); " + how),
                metric(AMORTIZATION_GAP, amortization, k, "ELBO(q*) − ELBO(q_φ); " + how),
                metric(ELBO_ENCODER, encoder, k, "ELBO(q_φ) over " + k + " samples"),
                metric(ELBO_REFINED, refined, k, "ELBO(q*) over " + k + " samples of fresh noise"),
                metric(LOG_P_HAT, logP, k, "max of IWAE-" + k + " with q_φ and with q* as the proposal"));
    }

    private static MetricValue metric(String name, Summary s, int k, String note) {
        if (!Double.isFinite(s.mean())) {
            return MetricValue.absent(name, "not finite (" + s.mean() + "): " + note);
        }
        return MetricValue.of(name, s.mean(), s.standardError(), s.n(), k, note);
    }

    /** Mean ELBO(q*) of the refinement's own samples before each Adam step (step 0: the encoder's output). */
    static byte[] plot(double[] trace, AmortizationConfig config) {
        double[] steps = new double[trace.length];
        for (int t = 0; t < steps.length; t++) {
            steps[t] = t;
        }
        XYChart chart = new XYChartBuilder().width(800).height(450)
                .title("Per-example refinement of q(z|x): lr " + config.learningRate() + ", " + config.samples()
                        + " samples per step")
                .xAxisTitle("Adam step").yAxisTitle("mean ELBO of the step's samples (nats)").build();
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("mean ELBO", steps, trace).setMarker(SeriesMarkers.NONE);
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw Errors.jobFailed(PLOT, "cannot draw the refinement curve: " + e.getMessage(), "report this as a bug", e);
        }
    }

    private static void write(SparkSession spark, Path file, byte[] png) {
        try {
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (OutputStream out = fs.create(file, false)) {
                out.write(png);
            }
        } catch (IOException e) {
            throw Errors.jobFailed(file.toString(), "cannot write the refinement curve: " + e.getMessage(),
                    "check that the results directory is writable", e);
        }
    }
}
