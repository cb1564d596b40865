package org.vaespark.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.jobs.batch.CheckpointDiscovery;
import org.vaespark.jobs.batch.CheckpointRef;
import org.vaespark.jobs.batch.EvaluationBatch;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.jobs.train.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Evaluates checkpoints with the protocol of docs/math.md (Evaluation protocol) — IWAE-k (Burda et al. 2016; k = 5000
 * by default), the ELBO and its terms, bits/dim, and the diagnostics asked for — distributed
 * over Spark partitions, into the results table. With {@code --runs DIR} it is a scheduled
 * batch over every run in DIR ({@link EvaluationBatch}); otherwise it evaluates one checkpoint
 * ({@code evaluate.checkpoint}, or the latest under {@code run.dir}). Either way an evaluation
 * already in the table is not repeated.
 */
@Command(name = "evaluate", description = "IWAE-k, ELBO terms and bits/dim of checkpoints into results.dir. "
        + "--runs DIR evaluates every new checkpoint under DIR (a scheduled batch); else evaluate.checkpoint or run.dir.")
public final class EvaluateJob extends JobCommand {

    @Option(names = "--runs", paramLabel = "DIR", description = "Runs directory (local, hdfs://, s3a://) to evaluate as a batch; same as evaluate.runs=DIR.")
    String runs;

    public static void main(String[] args) {
        JobCommand.main(new EvaluateJob(), args);
    }

    @Override
    protected String appName() {
        return "vae-evaluate";
    }

    @Override
    protected List<String> extraOverrides() {
        return runs == null ? List.of() : List.of("evaluate.runs=\"" + runs + "\"");
    }

    @Override
    protected void run(SparkSession spark, Settings settings) {
        if (Keys.optionalString(settings.config(), "evaluate.runs") != null) {
            EvaluationBatch.Report report = new EvaluationBatch(spark, settings).run();
            print(report.rows());
            System.out.printf("batch done: %d evaluated, %d already evaluated, %d claimed by another batch, %d left for later%n",
                    report.evaluated().size(), report.alreadyDone(), report.claimedElsewhere().size(), report.droppedByBudget().size());
            return;
        }
        print(evaluate(spark, settings));
    }

    /**
     * Evaluates one checkpoint and returns its summary rows; if this evaluation is already in
     * the table (and evaluate.force is off), returns the committed rows without recomputing.
     */
    public static List<ResultRow> evaluate(SparkSession spark, Settings settings) {
        CheckpointRef ref = CheckpointDiscovery.at(checkpoint(settings), spark.sparkContext().hadoopConfiguration());
        EvaluationBatch batch = new EvaluationBatch(spark, settings);
        List<ResultRow> rows = new ArrayList<>(batch.runOne(ref).rows());
        return rows.isEmpty() ? batch.committedRows(ref) : rows;
    }

    private static void print(List<ResultRow> rows) {
        for (ResultRow r : rows) {
            System.out.printf("%s %s %s on %s/%s: %.3f ± %.3f nats (n=%d, k=%d)%s%n", r.run(), r.checkpoint(), r.estimatorLabel(),
                    r.dataset(), r.split(), r.mean(), r.stderr(), r.n(), r.estimatorK(),
                    r.bitsPerDim() == null ? "" : String.format(", %.4f bits/dim", r.bitsPerDim()));
        }
    }

    private static String checkpoint(Settings settings) {
        String explicit = Keys.optionalString(settings.config(), "evaluate.checkpoint");
        if (explicit != null) {
            return explicit;
        }
        RunDirectory run = new RunDirectory(Keys.optionalString(settings.config(), "run.dir"));
        Path latest = CheckpointIO.latest(run.checkpoints()).orElseThrow(() -> Errors.missingInput(run.checkpoints().toString(),
                "a committed checkpoint (round-NNNNNN/ with metadata.json); train first or set evaluate.checkpoint"));
        return latest.toUri().toString();
    }
}
