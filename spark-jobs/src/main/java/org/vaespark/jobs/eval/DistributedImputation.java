package org.vaespark.jobs.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.Imputation;
import org.vaespark.core.eval.ImputationConfig;
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
                      Binarization binarization, int threads) implements java.io.Serializable {
    }

    /**
     * The summary figures: mean over examples of the hidden-pixel mean squared error on [0, 1]
     * pixels, for the model and for the observed-pixel-mean baseline, and for binary inputs the
     * error rates after thresholding at 0.5. A model that cannot impute gets them absent, with the reason.
     */
    public static List<MetricValue> metrics(JavaSparkContext sc, Dataset<Row> split, Job job, int partitions) {
        boolean binary = job.binarization().binary();
        String reason = Imputation.unavailable(job.model());
        if (reason != null) {
            List<MetricValue> out = new ArrayList<>();
            for (String m : names(binary)) {
                out.add(MetricValue.absent(m, reason));
            }
            return out;
        }
        List<ImputationResult> results = new ArrayList<>(results(sc, split, job, partitions).collect());
        results.sort(Comparator.comparingLong(ImputationResult::id));
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

    /** Per-example errors, over {@code partitions} tasks. */
    public static JavaRDD<ImputationResult> results(JavaSparkContext sc, Dataset<Row> split, Job job, int partitions) {
        Broadcast<Job> b = sc.broadcast(job);
        return ExampleBlocks.keyed(split, job.eval().batchSize(), partitions).mapPartitions(rows -> impute(b.value(), rows));
    }

    private static List<String> names(boolean binary) {
        return binary ? List.of(MSE, MSE_BASELINE, ERROR_RATE, ERROR_RATE_BASELINE) : List.of(MSE, MSE_BASELINE);
    }

    private static MetricValue figure(String name, Summary s, String note) {
        return MetricValue.of(name, s.mean(), s.n() > 1 ? s.standardError() : null, s.n(), null, note);
    }

    private static Iterator<ImputationResult> impute(Job job, Iterator<Tuple2<Long, ExampleBlocks.Example>> rows) {
        if (!rows.hasNext()) {
            return Collections.emptyIterator();
        }
        NativeThreads.configure(job.threads());
        TaskGpu.bind();
        Imputation imputation = new Imputation(Vae.withParameters(job.model(), job.parameters()), job.imputation(),
                job.binarization().binary());
        return ExampleBlocks.each(rows, job.model().inputDim(), job.binarization(), job.eval().seed(), (ids, x, labels) -> {
            boolean anyLabel = Arrays.stream(labels).anyMatch(l -> l != Shard.NO_LABEL);
            return List.of(imputation.impute(ids, x, anyLabel ? labels : null).results());
        });
    }
}
