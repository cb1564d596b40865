package org.vaespark.jobs.batch;

import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.jobs.eval.CheckpointEvaluation;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.jobs.leaderboard.ResultSchema;

/**
 * "Best by validation ELBO": the checkpoint of a run with the highest single-sample ELBO on the
 * validation split (the usual early-stopping criterion). The validation ELBOs are ordinary
 * evaluations (k = 1, no diagnostics) committed to the results table, so each is computed once
 * and later batches reuse them.
 */
final class ValidationSelection {
    private ValidationSelection() {
    }

    static CheckpointRef best(SparkSession spark, Settings settings, BatchConfig batch, List<CheckpointRef> run,
                              Function<CheckpointRef, String> dataOf) {
        EvalConfig base = EvalConfig.from(settings.config());
        EvalConfig validation = new EvalConfig(1, 1, base.batchSize(), base.seed(), batch.selectionSplit(), batch.selectionExamples(),
                base.backend());
        ResultsTable table = new ResultsTable(spark, Keys.optionalString(settings.config(), "results.dir"));
        int threads = Keys.positiveInt(settings.config(), "runtime.threads-per-task");
        CheckpointRef best = null;
        double bestElbo = Double.NEGATIVE_INFINITY;
        for (CheckpointRef ref : run) {
            String data = dataOf.apply(ref);
            EvaluationKey key = EvaluationKey.of(ref, data, validation, List.of());
            List<ResultRow> rows = table.committed(key.path()) ? table.read(key.path())
                    : CheckpointEvaluation.run(spark, new CheckpointEvaluation.Request(ref, CheckpointFetch.read(ref.uri(),
                            spark.sparkContext().hadoopConfiguration()), data, validation, List.of(), threads, settings.config()), table, key.path(), false).rows();
            double elbo = rows.stream().filter(r -> r.metric().equals(ResultSchema.METRIC_ELBO)).findFirst()
                    .orElseThrow(() -> Errors.jobFailed(key.path(), "the validation evaluation has no ELBO row",
                            "delete that evaluation directory and run again", null)).mean();
            if (elbo > bestElbo) {
                bestElbo = elbo;
                best = ref;
            }
        }
        return best;
    }
}
