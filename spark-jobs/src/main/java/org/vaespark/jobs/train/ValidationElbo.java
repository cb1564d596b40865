package org.vaespark.jobs.train;

import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.train.EarlyStopping;
import org.vaespark.jobs.eval.DistributedIwae;
import org.vaespark.jobs.eval.SplitSubset;
import org.vaespark.prep.DatasetReader;

/**
 * The mean single-sample ELBO (β = 1) of a checkpoint on the validation split: the early-stopping
 * criterion of Tomczak &amp; Welling (2018). Computed by {@link DistributedIwae} with k = 1, so the noise of
 * an example depends only on (seed, id) and the value is the same for any partitioning.
 */
final class ValidationElbo {
    private ValidationElbo() {
    }

    static double of(SparkSession spark, Path checkpoint, String data, EarlyStopping rule, long seed, int threads) {
        Checkpoint c = CheckpointIO.read(checkpoint);
        EvalConfig eval = new EvalConfig(1, 1, rule.batchSize(), seed, rule.split(), rule.maxExamples());
        Dataset<Row> rows = SplitSubset.of(DatasetReader.read(spark, data, rule.split()), eval.subset());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        double[] sum = DistributedIwae.estimate(sc, rows, new DistributedIwae.Job(c.modelConfig(), c.parameters(), eval,
                        c.trainConfig().binarization(), threads), Math.max(1, sc.defaultParallelism()))
                .map(e -> new double[]{e.elbo(), 1})
                .fold(new double[]{0, 0}, (a, b) -> new double[]{a[0] + b[0], a[1] + b[1]});
        if (sum[1] == 0) {
            throw Errors.jobFailed(data, "the validation split '" + rule.split() + "' has no examples",
                    "prepare the dataset with a validation split (binarized-mnist has one; mnist needs prepare.validation-size=10000)"
                            + " or set train.early-stopping.split", null);
        }
        return sum[0] / sum[1];
    }
}
