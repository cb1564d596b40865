package org.vaespark.jobs.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.train.EarlyStopping;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.prep.DatasetReader;

/**
 * Training with early stopping ({@link EarlyStopping}): trains in segments of
 * {@code train.early-stopping.every-epochs} epochs (each a resumed run of the ordinary loop, ending in
 * a checkpoint), scores each segment's checkpoint on the validation split ({@link ValidationElbo}), and
 * stops once the patience is used up or {@code train.epochs} are done. Every validation is a line of
 * {@code run.dir/validation.jsonl}; {@code run.dir/best-checkpoint} holds the path of the best checkpoint
 * so far. A killed run continues when started again with run.resume=true: the recorded validations are
 * replayed, so the verdicts are those of an uninterrupted run.
 */
public final class EarlyStoppingRun {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyStoppingRun.class);
    public static final String VALIDATIONS = "validation.jsonl";
    public static final String BEST = "best-checkpoint";

    private EarlyStoppingRun() {
    }

    /**
     * Trains as above with {@code segment} (the ordinary training of settings, e.g. TrainJob::train);
     * returns the best checkpoint by validation ELBO.
     */
    public static Path train(SparkSession spark, Settings settings, BiFunction<SparkSession, Settings, Path> segment) {
        EarlyStopping rule = EarlyStopping.from(settings.config());
        TrainConfig train = TrainConfig.from(settings.config());
        String data = Keys.requiredString(settings.config(), "data.path", "the root of a dataset written by PrepareJob");
        long examples = DatasetReader.manifest(spark, data).count(Keys.string(settings.config(), "data.train-split"));
        long seed = Keys.longValue(settings.config(), "eval.seed");
        int threads = Keys.positiveInt(settings.config(), "runtime.threads-per-task");
        RunDirectory run = new RunDirectory(Keys.optionalString(settings.config(), "run.dir"));
        boolean resume = Keys.bool(settings.config(), "run.resume");
        Path log = run.root().resolve(VALIDATIONS);
        EarlyStopping.Tracker tracker = rule.tracker();
        if (resume) {
            ValidationLog.replay(log, tracker);
        } else {
            deleteIfExists(log);
        }
        boolean started = resume || CheckpointIO.latest(run.checkpoints()).isPresent();
        int epoch = tracker.lastEpoch();
        while (!tracker.stopped() && epoch < train.epochs()) {
            int target = rule.nextValidation(epoch, train.epochs());
            Path checkpoint = segment.apply(spark, settings.with("train.epochs=" + target, "run.resume=" + started));
            started = true;
            double done = (double) CheckpointIO.read(checkpoint).metadata().examplesSeen() / examples;
            double elbo = ValidationElbo.of(spark, checkpoint, data, rule, seed, threads);
            EarlyStopping.Verdict v = tracker.observe(target, checkpoint.toString(), elbo);
            ValidationLog.append(log, target, done, checkpoint, elbo, v);
            if (v.best() != null) {
                write(run.root().resolve(BEST), v.best());
            }
            if (!Keys.bool(settings.config(), "train.early-stopping.keep-all-checkpoints")) {
                prune(run.checkpoints(), v.best(), checkpoint);
            }
            LOG.info(String.format("epoch %d: validation ELBO %.3f on %s (%s); best %.3f at epoch %d; %d epochs without improvement of %s allowed%s",
                    target, elbo, rule.split(), v.improved() ? "better" : "not better", v.bestElbo(), v.bestEpoch(),
                    v.epochsWithoutImprovement(), rule.patienceEpochs(), v.stop() ? " -> stopping early" : ""));
            epoch = target;
        }
        if (tracker.best() == null) {
            throw org.vaespark.core.errors.Errors.numericalFailure(log.toString(), "no validation ELBO was finite",
                    "lower train.learning-rate, then train again in a new run.dir");
        }
        return Path.of(tracker.best());
    }

    private static void write(Path file, String text) {
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the committed checkpoints other than {@code best} and {@code latest}: one per validation would fill the disk. */
    private static void prune(Path checkpoints, String best, Path latest) {
        try (java.util.stream.Stream<Path> dirs = Files.list(checkpoints)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("round-")).toList()) {
                Path abs = dir.toAbsolutePath().normalize();
                if (abs.equals(latest.toAbsolutePath().normalize()) || (best != null && abs.equals(Path.of(best).toAbsolutePath().normalize()))) {
                    continue;
                }
                try (java.util.stream.Stream<Path> tree = Files.walk(dir)) {
                    for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** validation.jsonl: one JSON object per validation, in epoch order. */
    static final class ValidationLog {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

        private ValidationLog() {
        }

        static void append(Path log, int epoch, double epochsDone, Path checkpoint, double elbo, EarlyStopping.Verdict v) {
            java.util.Map<String, Object> line = new java.util.LinkedHashMap<>();
            line.put("epoch", epoch);
            line.put("epochs_trained", epochsDone);
            line.put("checkpoint", checkpoint.toString());
            line.put("valid_elbo", Double.isFinite(elbo) ? elbo : null);
            line.put("improved", v.improved());
            line.put("epochs_without_improvement", v.epochsWithoutImprovement());
            line.put("best_checkpoint", v.best());
            line.put("stop", v.stop());
            try {
                Files.writeString(log, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static void replay(Path log, EarlyStopping.Tracker tracker) {
            if (!Files.exists(log)) {
                return;
            }
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String text = lines.get(i);
                    if (text.isBlank()) {
                        continue;
                    }
                    com.fasterxml.jackson.databind.JsonNode n;
                    try {
                        n = JSON.readTree(text);
                    } catch (IOException e) {
                        throw org.vaespark.core.errors.Errors.corruptFile(log.toString(), "line " + (i + 1), "not a JSON object",
                                "delete the line (the validation is then repeated) and run again with run.resume=true", e);
                    }
                    double elbo = n.get("valid_elbo").isNull() ? Double.NaN : n.get("valid_elbo").asDouble();
                    tracker.observe(n.get("epoch").asInt(), n.get("checkpoint").asText(), elbo);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
