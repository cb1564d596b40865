package org.vaespark.jobs.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.checkpoint.CheckpointMetadata;
import org.vaespark.core.errors.Errors;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.jobs.leaderboard.ResultSchema;

/**
 * What {@code submit/reproduce.sh <row>} produced in {@code <repro>/<row>/}: the IWAE-5000 test result of the
 * evaluated checkpoint (the best by validation ELBO where the protocol stops early, else the latest), that
 * checkpoint's and the latest checkpoint's training record, and whether early stopping ended the run. Every number
 * comes from the files the row's own command wrote; nothing is typed in.
 *
 * @param result         the evaluation row (test split, IWAE, the largest k) of the evaluated checkpoint
 * @param evaluated      metadata of the evaluated checkpoint
 * @param latest         metadata of the newest checkpoint: how far training went
 * @param stoppedEarly   true when validation.jsonl's last line says the patience ran out
 * @param lastValidation the epoch of the last validation, or -1 without early stopping
 */
public record ReproducedRun(ResultRow result, CheckpointMetadata evaluated, CheckpointMetadata latest,
                            boolean stoppedEarly, int lastValidation) {

    /** The test-set size of the MNIST protocols (static and dynamic MNIST both hold 10,000 test images). */
    public static final long FULL_TEST = 10_000;
    /** The estimator of the protocol (Burda et al. 2016; Tomczak & Welling 2018 use S = 5000 too). */
    public static final int PROTOCOL_K = 5000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Training examples per epoch. */
    public long trainExamples() {
        return latest.resume() == null ? -1 : latest.resume().trainExamples();
    }

    /** Epochs trained in all (up to the newest checkpoint). */
    public double epochsTrained() {
        return epochs(latest);
    }

    /** Epochs trained when the evaluated checkpoint was written. */
    public double epochsAtEvaluated() {
        return epochs(evaluated);
    }

    private double epochs(CheckpointMetadata m) {
        long n = trainExamples();
        return n > 0 ? (double) m.examplesSeen() / n : Double.NaN;
    }

    /** Whether the evaluation followed the protocol: IWAE-5000 on every test image. */
    public boolean fullProtocolEvaluation() {
        return result.n() == FULL_TEST && result.estimatorK() == PROTOCOL_K;
    }

    /** Our NLL in nats (−log p̂(x)). */
    public double nll() {
        return -result.mean();
    }

    /**
     * The run of {@code rowDir} ({@code run/} and {@code results/}), or empty when the row has not been trained and
     * evaluated yet.
     */
    public static Optional<ReproducedRun> read(SparkSession spark, Path rowDir) {
        Path run = rowDir.resolve("run");
        Path results = rowDir.resolve("results");
        if (!Files.isDirectory(run.resolve("checkpoints")) || !Files.isDirectory(results)) {
            return Optional.empty();
        }
        List<ResultRow> rows = new ResultsTable(spark, results.toString()).readAll().stream()
                .filter(r -> "test".equals(r.split()) && ResultSchema.METRIC_IWAE.equals(r.metric()))
                .toList();
        String best = bestCheckpointName(run);
        Optional<ResultRow> chosen = rows.stream()
                .filter(r -> best == null || r.checkpoint().endsWith(best))
                .max(Comparator.comparingLong(ResultRow::step).thenComparingInt(ResultRow::estimatorK));
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        Path checkpoints = run.resolve("checkpoints");
        Path evaluatedDir = checkpoints.resolve(Path.of(chosen.get().checkpoint()).getFileName().toString());
        if (!Files.isDirectory(evaluatedDir)) {
            throw Errors.missingInput(evaluatedDir.toString(), "the checkpoint that " + results + " evaluated (it was "
                    + "deleted after the evaluation; the row's numbers cannot be traced to it: rerun submit/reproduce.sh "
                    + rowDir.getFileName() + ")");
        }
        CheckpointMetadata evaluated = CheckpointIO.readMetadata(evaluatedDir);
        Path newest = CheckpointIO.latest(checkpoints).orElse(evaluatedDir);
        CheckpointMetadata latest = CheckpointIO.readMetadata(newest);
        JsonNode last = lastValidation(run);
        return Optional.of(new ReproducedRun(chosen.get(), evaluated, latest,
                last != null && last.path("stop").asBoolean(false), last == null ? -1 : last.path("epoch").asInt(-1)));
    }

    /** The directory name of {@code run/best-checkpoint}'s path, or null when early stopping did not run. */
    private static String bestCheckpointName(Path run) {
        Path best = run.resolve("best-checkpoint");
        if (!Files.isRegularFile(best)) {
            return null;
        }
        try {
            return Path.of(Files.readString(best).trim()).getFileName().toString();
        } catch (IOException e) {
            throw Errors.jobFailed(best.toString(), "cannot read the best checkpoint's path: " + e.getMessage(),
                    "check the file's permissions", e);
        }
    }

    private static JsonNode lastValidation(Path run) {
        Path file = run.resolve("validation.jsonl");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? null : JSON.readTree(lines.get(lines.size() - 1));
        } catch (IOException e) {
            throw Errors.corruptFile(file.toString(), "its last line", "it is not a JSON object (" + e.getMessage() + ")",
                    "the training job rewrites it: rerun submit/reproduce.sh " + run.getParent().getFileName());
        }
    }
}
