package org.vaespark.jobs.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.Imputation;
import org.vaespark.core.eval.ImputationComparison;
import org.vaespark.core.eval.ImputationConfig;
import org.vaespark.core.eval.NonAmortizedConfig;
import org.vaespark.core.eval.NonAmortizedImputation;
import org.vaespark.core.eval.ImputationResult;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.core.train.Shard;
import org.vaespark.jobs.train.TaskGpu;
import scala.Tuple2;

/**
 * Missing-value imputation ({@link Imputation}, Rezende et al. 2014) over a dataset split,
 * distributed like {@link DistributedIwae}: batches are id blocks ({@code id / eval.batch-size})
 * kept whole in one partition, the mask and the noise of an example depend only on (seed, id), and
 * the summary is accumulated in id order, so the figures do not depend on partitioning.
 */
public final class DistributedImputation {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedImputation.class);
    public static final String MSE = "imputation_mse";
    public static final String MSE_BASELINE = "imputation_mse_baseline";
    public static final String ERROR_RATE = "imputation_error_rate";
    public static final String ERROR_RATE_BASELINE = "imputation_error_rate_baseline";

    private DistributedImputation() {
    }

    /**
     * What each task needs. Pixels are encoded as in evaluation (dynamic binarization: one fixed
     * draw per example seeded by {@code eval.seed}).
     */
    public record Job(VaeConfig model, NamedArrays parameters, ImputationConfig imputation, EvalConfig eval,
                      Binarization binarization, int threads, NonAmortized nonAmortized) implements java.io.Serializable {
        /** Pseudo-Gibbs alone. */
        public Job(VaeConfig model, NamedArrays parameters, ImputationConfig imputation, EvalConfig eval,
                   Binarization binarization, int threads) {
            this(model, parameters, imputation, eval, binarization, threads, null);
        }
    }

    /**
     * Non-amortized imputation beside pseudo-Gibbs ({@link NonAmortizedImputation}): its settings and the training-set
     * mean of each model input, where the missing pixels start; or, when the model cannot be imputed so, the reason.
     */
    public record NonAmortized(NonAmortizedConfig config, float[] trainingMean, String trainingMeanNote, String refused)
            implements java.io.Serializable {
    }

    /** The summary figures and, when non-amortized imputation ran, each example's comparison (id order). */
    public record Report(List<MetricValue> metrics, List<ImputationComparison> comparisons) {
    }

    /** One example: pseudo-Gibbs's errors, and both methods side by side when non-amortized imputation ran. */
    record Imputed(ImputationResult gibbs, ImputationComparison comparison) implements java.io.Serializable {
    }

    /**
     * The summary figures: mean over examples of the hidden-pixel mean squared error on [0, 1]
     * pixels, for the model and for the observed-pixel-mean baseline, and for binary inputs the
     * error rates after thresholding at 0.5. A model that cannot impute gets them absent, with the reason.
     */
    public static List<MetricValue> metrics(JavaSparkContext sc, Dataset<Row> split, Job job, int partitions) {
        return report(sc, split, job, partitions, null).metrics();
    }

    /**
     * The figures of {@link #metrics}, then those of non-amortized imputation when the job asks for it; with progress
     * lines per batch through {@code progress} (null: none).
     */
    public static Report report(JavaSparkContext sc, Dataset<Row> split, Job job, int partitions, ExampleProgress progress) {
        boolean binary = job.binarization().binary();
        String reason = Imputation.unavailable(job.model());
        if (reason != null) {
            List<MetricValue> out = new ArrayList<>();
            for (String m : names(binary)) {
                out.add(MetricValue.absent(m, reason));
            }
            if (job.nonAmortized() != null) {
                out.addAll(NonAmortizedFigures.absent(binary, reason));
            }
            return new Report(out, List.of());
        }
        List<Imputed> imputed = new ArrayList<>(progress == null ? results(sc, split, job, partitions, null).collect()
                : progress.collect(sc.sc(), LOG, "imputation", progress.examples(), done -> results(sc, split, job, partitions, done)));
        imputed.sort(Comparator.comparingLong(i -> i.gibbs().id()));
        List<ImputationResult> results = imputed.stream().map(Imputed::gibbs).toList();
        List<ImputationComparison> comparisons = imputed.stream().map(Imputed::comparison).filter(Objects::nonNull).toList();
        List<MetricValue> out = gibbs(results, job);
        if (job.nonAmortized() != null) {
            out.addAll(job.nonAmortized().refused() != null ? NonAmortizedFigures.absent(binary, job.nonAmortized().refused())
                    : NonAmortizedFigures.of(comparisons, job.imputation(), job.nonAmortized(), binary));
        }
        return new Report(out, comparisons);
    }

    private static List<MetricValue> gibbs(List<ImputationResult> results, Job job) {
        boolean binary = job.binarization().binary();
        Summary mse = new Summary();
        Summary mseBase = new Summary();
        Summary err = new Summary();
        Summary errBase = new Summary();
        for (ImputationResult r : results) {
            if (r.masked() == 0) {
                continue;
            }
            mse.add(r.mse());
            mseBase.add(r.mseBaseline());
            err.add(r.errorRate());
            errBase.add(r.errorRateBaseline());
        }
        String mask = job.imputation().describe();
        if (mse.n() == 0) {
            List<MetricValue> out = new ArrayList<>();
            for (String m : names(binary)) {
                out.add(MetricValue.absent(m, "no example had a hidden pixel (" + mask + ")"));
            }
            return out;
        }
        List<MetricValue> out = new ArrayList<>(List.of(
                figure(MSE, mse, "mean squared error of the hidden pixels on [0, 1] after pseudo-Gibbs imputation (" + mask + ")"),
                figure(MSE_BASELINE, mseBase, "mean squared error of the hidden pixels imputed by the example's observed-pixel mean ("
                        + mask + ")")));
        if (binary) {
            out.add(figure(ERROR_RATE, err, "share of hidden pixels wrong after thresholding the imputation at 0.5 (" + mask + ")"));
            out.add(figure(ERROR_RATE_BASELINE, errBase, "share of hidden pixels wrong after thresholding the observed-pixel mean at 0.5 ("
                    + mask + ")"));
        }
        return out;
    }

    /** Per-example errors, over {@code partitions} tasks, each adding its finished batches to {@code done} (null: not counted). */
    static JavaRDD<Imputed> results(JavaSparkContext sc, Dataset<Row> split, Job job, int partitions, LongAccumulator done) {
        Broadcast<Job> b = sc.broadcast(job);
        return ExampleBlocks.keyed(split, job.eval().batchSize(), partitions).mapPartitions(rows -> impute(b.value(), rows, done));
    }

    private static List<String> names(boolean binary) {
        return binary ? List.of(MSE, MSE_BASELINE, ERROR_RATE, ERROR_RATE_BASELINE) : List.of(MSE, MSE_BASELINE);
    }

    private static MetricValue figure(String name, Summary s, String note) {
        return MetricValue.of(name, s.mean(), s.n() > 1 ? s.standardError() : null, s.n(), null, note);
    }

    private static Iterator<Imputed> impute(Job job, Iterator<Tuple2<Long, ExampleBlocks.Example>> rows, LongAccumulator done) {
        if (!rows.hasNext()) {
            return Collections.emptyIterator();
        }
        NativeThreads.configure(job.threads());
        TaskGpu.bind();
        boolean binary = job.binarization().binary();
        Imputation imputation = new Imputation(Vae.withParameters(job.model(), job.parameters()), job.imputation(), binary);
        NonAmortized na = job.nonAmortized();
        NonAmortizedImputation refine = na == null || na.refused() != null ? null
                : new NonAmortizedImputation(job.model(), job.parameters(), job.imputation(), na.config(), binary);
        return ExampleBlocks.each(rows, job.model().inputDim(), job.binarization(), job.eval().seed(), done, (ids, x, labels) -> {
            int[] given = Arrays.stream(labels).anyMatch(l -> l != Shard.NO_LABEL) ? labels : null;
            Imputation.Batch batch = imputation.impute(ids, x, given);
            ImputationComparison[] both = refine == null ? null : refine.compare(ids, x, given, na.trainingMean(), batch);
            List<Imputed> out = new ArrayList<>();
            for (int b = 0; b < ids.length; b++) {
                out.add(new Imputed(batch.results()[b], both == null ? null : both[b]));
            }
            return out;
        });
    }
}
