package org.vaespark.jobs.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.cpu.ExecutorChoice;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.ExampleSubset;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.progress.Progress;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.Manifest;

/**
 * Out-of-distribution scoring with a trained model's likelihood: every row of an in-distribution
 * split and of an OOD split gets the score {@code -log p̂(x)}, with {@code log p̂(x)} the IWAE-k
 * estimate of Burda et al. (2016) computed by {@link DistributedIwae} (k, chunk, seed from
 * {@code eval.*}); the two sets are then separated by threshold on that score and the AUROC is
 * reported with the OOD rows as positives (the likelihood test of Nalisnick et al. 2019, "Do deep
 * generative models know what they don't know?", ICLR). The AUROC is Spark MLlib's
 * {@link BinaryClassificationEvaluator} {@code areaUnderROC} without down-sampling
 * ({@code numBins = 0}), so ties are split evenly and it equals the Mann-Whitney U / (n_in n_out).
 * Scores are in nats; pixels become inputs exactly as in training ({@code PixelEncoding}), so
 * both datasets must be encoded as the model was trained (0/1 pixels for static binarization).
 */
public final class OodScore {
    private static final Logger LOG = LoggerFactory.getLogger(OodScore.class);
    public static final String DATASET = "ood.dataset";
    public static final String SPLIT = "ood.split";
    public static final String MAX_EXAMPLES = "ood.max-examples";

    public static final String METRIC_AUROC = "ood_auroc";
    public static final String METRIC_SCORE_IN = "ood_score_in";
    public static final String METRIC_SCORE_OUT = "ood_score_out";

    /** Columns of the per-row scores: row id within its split, dataset name, 1 for OOD rows, score {@code -log p̂(x)}. */
    public static final String ID = "id";
    public static final String NAME = "dataset";
    public static final String OOD = "ood";
    public static final String SCORE = "score";
    public static final StructType SCHEMA = new StructType()
            .add(ID, DataTypes.LongType, false)
            .add(NAME, DataTypes.StringType, false)
            .add(OOD, DataTypes.IntegerType, false)
            .add(SCORE, DataTypes.DoubleType, false);

    private OodScore() {
    }

    /**
     * The {@code ood.*} keys.
     *
     * @param dataset     root of the prepared dataset scored as out-of-distribution
     * @param split       its split
     * @param maxExamples only N of its rows, the {@link ExampleSubset} of that size; null = all
     */
    public record Config(String dataset, String split, Integer maxExamples) {
        public Config {
            if (dataset == null || dataset.isBlank()) {
                throw Errors.badConfigValue(DATASET, dataset, "the root of a prepared dataset to score as out-of-distribution, "
                        + "e.g. data-out/cifar10-grey-28-binarized (the key is required)");
            }
            if (split == null || split.isBlank()) {
                throw Errors.badConfigValue(SPLIT, split, "a split name such as test");
            }
        }

        public static Config from(com.typesafe.config.Config c) {
            return new Config(Keys.optionalString(c, DATASET), Keys.string(c, SPLIT), Keys.optionalPositiveInt(c, MAX_EXAMPLES));
        }
    }

    /** Per-row scores ({@link #SCHEMA}, in-distribution rows first, each set by id) and the summary figures. */
    public record Result(Dataset<Row> scores, List<MetricValue> metrics) {
    }

    /**
     * Scores with the settings of a job: the checkpoint {@code evaluate.checkpoint} (or the latest under
     * {@code run.dir}), the in-distribution dataset {@code data.path} (or the one the checkpoint was
     * trained on) with {@code eval.split} and {@code eval.max-examples}, and the {@code ood.*} keys.
     */
    public static Result score(SparkSession spark, Settings settings) {
        com.typesafe.config.Config c = settings.config();
        Path checkpoint = checkpoint(c);
        String data = Keys.optionalString(c, "data.path");
        return score(spark, checkpoint, data == null ? CheckpointIO.read(checkpoint).metadata().dataset() : data,
                Config.from(c), EvalConfig.from(c), Keys.positiveInt(c, "runtime.threads-per-task"), Progress.interval(c));
    }

    /**
     * Scores split {@code eval.split} of {@code inData} and split {@code ood.split} of {@code ood.dataset}, with
     * done/total, rate and ETA lines of each split every {@code intervalSeconds} (progress.interval-seconds).
     */
    public static Result score(SparkSession spark, Path checkpointDir, String inData, Config ood, EvalConfig eval, int threads,
                               double intervalSeconds) {
        return score(spark, CheckpointIO.read(checkpointDir), checkpointDir.toString(), inData, ood, eval, threads, intervalSeconds);
    }

    /** As above, for a checkpoint already read from {@code checkpointDir} (any file system). */
    public static Result score(SparkSession spark, Checkpoint checkpoint, String checkpointDir, String inData, Config ood,
                               EvalConfig eval, int threads, double intervalSeconds) {
        VaeConfig model = checkpoint.modelConfig();
        Binarization binarization = checkpoint.trainConfig().binarization();
        if (model.kind() == ModelKind.CVAE) {
            throw Errors.incompatibleCheckpoint(checkpointDir, "a conditional VAE scores log p(x|c) given the label "
                    + "column, which does not mean the same class on an out-of-distribution dataset", "vae, hvae or m2", "cvae");
        }
        Manifest in = DatasetReader.manifest(spark, inData);
        Manifest out = DatasetReader.manifest(spark, ood.dataset());
        if (in.dimension() != model.inputDim() || out.dimension() != model.inputDim()) {
            throw Errors.incompatibleCheckpoint(checkpointDir, "the in-distribution dataset " + Errors.redact(inData)
                    + " (" + shape(in) + ") and the OOD dataset " + DATASET + "=" + Errors.redact(ood.dataset()) + " (" + shape(out)
                    + ") must both have the model's input size", model.inputDim() + " pixels",
                    in.dimension() + " and " + out.dimension() + " pixels");
        }
        checkEncoding(in, "data.path", inData, binarization);
        checkEncoding(out, DATASET, ood.dataset(), binarization);

        DistributedIwae.Job job = new DistributedIwae.Job(model, checkpoint.parameters(), eval, binarization, threads);
        ExecutorChoice executor = DistributedIwae.executor(job);
        LOG.info("OOD scores of {} on the {}", Errors.redact(checkpointDir), executor.describe());
        List<Row> rows = new ArrayList<>();
        Summary inScores = scoreSplit(spark, job, inData, in, eval.split(), eval.maxExamples(), 0, rows, intervalSeconds);
        Summary outScores = scoreSplit(spark, job, ood.dataset(), out, ood.split(), ood.maxExamples(), 1, rows, intervalSeconds);
        Dataset<Row> scores = spark.createDataFrame(rows, SCHEMA);

        String inName = in.name() + "/" + eval.split();
        String outName = out.name() + "/" + ood.split();
        String how = "-log p(x) in nats, IWAE-" + eval.k() + " (seed " + eval.seed() + ", " + binarization.name().toLowerCase()
                + " binarization, " + executor.executor() + " executor)";
        List<MetricValue> metrics = new ArrayList<>();
        long nonFinite = rows.stream().filter(r -> !Double.isFinite(r.getDouble(3))).count();
        long n = inScores.n() + outScores.n();
        if (nonFinite > 0) {
            String why = nonFinite + " of " + n + " rows have a non-finite score (the checkpoint's parameters may be corrupt)";
            metrics.add(MetricValue.absent(METRIC_AUROC, why));
            metrics.add(MetricValue.absent(METRIC_SCORE_IN, why));
            metrics.add(MetricValue.absent(METRIC_SCORE_OUT, why));
            return new Result(scores, metrics);
        }
        double auroc = auroc(scores);
        metrics.add(MetricValue.of(METRIC_AUROC, auroc, null, n, eval.k(), "OOD (positive) " + outName + " (n=" + outScores.n()
                + ") vs in-distribution " + inName + " (n=" + inScores.n() + "), k=" + eval.k() + "; score " + how
                + "; MLlib areaUnderROC, exact (numBins=0)"));
        metrics.add(MetricValue.of(METRIC_SCORE_IN, inScores.mean(), inScores.standardError(), inScores.n(), eval.k(),
                "mean " + how + " on " + inName));
        metrics.add(MetricValue.of(METRIC_SCORE_OUT, outScores.mean(), outScores.standardError(), outScores.n(), eval.k(),
                "mean " + how + " on " + outName));
        return new Result(scores, metrics);
    }

    /** Area under the ROC curve of {@link #SCORE} for the label {@link #OOD}, without binning (exact). */
    public static double auroc(Dataset<Row> scores) {
        return new BinaryClassificationEvaluator().setLabelCol(OOD).setRawPredictionCol(SCORE)
                .setMetricName("areaUnderROC").setNumBins(0).evaluate(scores);
    }

    private static Summary scoreSplit(SparkSession spark, DistributedIwae.Job job, String root, Manifest m, String split,
                                      Integer maxExamples, int ood, List<Row> into, double intervalSeconds) {
        ExampleSubset subset = ExampleSubset.of(maxExamples);
        Dataset<Row> rows = SplitSubset.of(DatasetReader.read(spark, root, split), subset);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = Math.max(1, sc.defaultParallelism());
        // the subset's size is known from the manifest: no Spark job to count it
        String which = m.name() + "/" + split + (ood == 1 ? " (out-of-distribution)" : " (in-distribution)");
        ExampleProgress progress = new ExampleProgress(which, SplitSubset.count(subset, m.count(split)), intervalSeconds);
        List<ExampleEstimate> estimates = new ArrayList<>(progress.collect(spark.sparkContext(), LOG, "OOD scores (IWAE-"
                + job.eval().k() + ")", progress.examples(), done -> DistributedIwae.estimate(sc, rows, job, partitions, done)));
        if (estimates.isEmpty()) {
            throw Errors.jobFailed(Errors.redact(root), "split '" + split + "' has no rows to score",
                    "check " + (ood == 1 ? SPLIT + " and " + MAX_EXAMPLES : "eval.split and eval.max-examples"), null);
        }
        estimates.sort(java.util.Comparator.comparingLong(ExampleEstimate::id));
        Summary s = new Summary();
        for (ExampleEstimate e : estimates) {
            double score = -e.logLikelihood();
            s.add(score);
            into.add(RowFactory.create(e.id(), m.name(), ood, score));
        }
        return s;
    }

    private static void checkEncoding(Manifest m, String key, String root, Binarization b) {
        if (b == Binarization.STATIC && !m.binarized()) {
            throw Errors.badConfigValue(key, Errors.redact(root), "a dataset of 0/1 pixels for this statically binarized model; "
                    + "this one is " + m.pixelEncoding() + " (derive one with prepare.source=transform, prepare.transform.binarize=true)");
        }
        if (b != Binarization.STATIC && m.binarized()) {
            throw Errors.badConfigValue(key, Errors.redact(root), "a dataset of 8-bit pixels for this model trained with "
                    + b.name().toLowerCase() + " binarization; this one is already 0/1");
        }
    }

    private static String shape(Manifest m) {
        return m.name() + ", " + m.height() + "x" + m.width() + "x" + m.channels();
    }

    private static Path checkpoint(com.typesafe.config.Config c) {
        String explicit = Keys.optionalString(c, "evaluate.checkpoint");
        if (explicit != null) {
            return RunDirectory.local(explicit);
        }
        RunDirectory run = new RunDirectory(Keys.optionalString(c, "run.dir"));
        return CheckpointIO.latest(run.checkpoints()).orElseThrow(() -> Errors.missingInput(run.checkpoints().toString(),
                "a committed checkpoint (round-NNNNNN/ with metadata.json); train first or set evaluate.checkpoint"));
    }
}
