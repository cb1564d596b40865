package org.vaespark.jobs.batch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.progress.Progress;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.jobs.eval.CheckpointEvaluation;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.Manifest;

/**
 * A scheduled evaluation batch: finds the committed checkpoints under a runs directory, selects
 * per run (latest, all, or best by validation ELBO), drops those already evaluated with these
 * settings, caps the rest at the budget, prints what it will cost, then evaluates each under a
 * {@link Claims claim} and commits it to the {@link ResultsTable}. Running it again with nothing
 * new adds nothing; a batch that dies leaves no rows for the evaluation it was in; two batches
 * at once split the work between them. A failed evaluation does not stop the others; the batch
 * fails at the end, naming them.
 */
public final class EvaluationBatch {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluationBatch.class);

    private final SparkSession spark;
    private final Settings settings;
    private final BatchConfig batch;
    private final EvalConfig eval;
    private final ResultsTable table;
    private final Configuration conf;
    private final int threads;
    private final Map<String, Manifest> manifests = new HashMap<>();

    public EvaluationBatch(SparkSession spark, Settings settings) {
        this.spark = spark;
        this.settings = settings;
        this.batch = BatchConfig.from(settings.config());
        this.eval = EvalConfig.from(settings.config());
        this.table = new ResultsTable(spark, Keys.optionalString(settings.config(), "results.dir"));
        this.conf = spark.sparkContext().hadoopConfiguration();
        this.threads = Keys.positiveInt(settings.config(), "runtime.threads-per-task");
    }

    /** One planned evaluation with its cost. */
    public record Planned(CheckpointRef ref, EvaluationKey key, String data, long examples, long decoderFlops) {
        public double flops() {
            return (double) examples * decoderFlops;
        }
    }

    /** What a batch did. */
    public record Report(List<Planned> planned, List<EvaluationKey> evaluated, int alreadyDone, List<EvaluationKey> claimedElsewhere,
                         List<EvaluationKey> droppedByBudget, Map<String, String> failed, List<ResultRow> rows) {
    }

    /** Runs the batch over {@code evaluate.runs}. */
    public Report run() {
        List<CheckpointRef> found = CheckpointDiscovery.find(batch.runs(), conf);
        return run(found, select(found));
    }

    /**
     * The diagnostics as they enter an evaluation's key: {@code amortization} with its refinement settings
     * ({@code eval.amortization.*} change its values), {@code imputation} with its masks and both methods' settings
     * ({@code eval.imputation.*}), the others by name.
     */
    private List<String> keyedDiagnostics() {
        return batch.diagnostics().stream().map(d -> switch (d) {
            case "amortization" -> d + "(" + org.vaespark.core.eval.amortization.AmortizationConfig.from(settings.config()).describe() + ")";
            case "imputation" -> {
                org.vaespark.core.eval.NonAmortizedConfig na = org.vaespark.core.eval.NonAmortizedConfig.from(settings.config());
                yield d + "(" + org.vaespark.core.eval.ImputationConfig.from(settings.config()).describe() + "; non-amortized "
                        + na.describe() + ", S = " + na.samples() + ")";
            }
            default -> d;
        }).toList();
    }

    /** Evaluates one checkpoint (single-checkpoint mode: no selection, the same keys, claims and commit). */
    public Report runOne(CheckpointRef ref) {
        return run(List.of(ref), List.of(ref));
    }

    /** The user error behind {@code e} (also one a Spark task threw, wrapped in Spark's exception), or null. */
    private static VaeException userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof VaeException user) {
                return user;
            }
        }
        return null;
    }

    /** The summary rows of an evaluation of {@code ref} with these settings, if committed. */
    public List<ResultRow> committedRows(CheckpointRef ref) {
        EvaluationKey key = EvaluationKey.of(ref, dataOf(ref), eval, keyedDiagnostics());
        return table.committed(key.path()) ? table.read(key.path()) : List.of();
    }

    private Report run(List<CheckpointRef> found, List<CheckpointRef> selected) {
        List<Planned> pending = new ArrayList<>();
        int done = 0;
        for (CheckpointRef ref : selected) {
            String data = dataOf(ref);
            EvaluationKey key = EvaluationKey.of(ref, data, eval, keyedDiagnostics());
            if (!batch.force() && table.committed(key.path())) {
                done++;
                continue;
            }
            pending.add(new Planned(ref, key, data, 0, 0));
        }
        pending.sort(Comparator.comparing((Planned p) -> p.ref().createdAt()).reversed());
        List<EvaluationKey> dropped = new ArrayList<>();
        if (batch.maxCheckpoints() != null && pending.size() > batch.maxCheckpoints()) {
            pending.subList(batch.maxCheckpoints(), pending.size()).forEach(p -> dropped.add(p.key()));
            pending = new ArrayList<>(pending.subList(0, batch.maxCheckpoints()));
        }
        List<Planned> planned = new ArrayList<>();
        Map<String, Checkpoint> checkpoints = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        VaeException userError = null;
        for (Planned p : pending) {
            try {
                Checkpoint c = CheckpointFetch.read(p.ref().uri(), conf);
                checkpoints.put(p.key().path(), c);
                planned.add(new Planned(p.ref(), p.key(), p.data(), examples(p.data()), (long) org.vaespark.core.model.cost.Flops.iwaeFlopsPerSample(c.modelConfig())));
            } catch (RuntimeException e) {
                if (e instanceof VaeException user) {
                    LOG.error("cannot plan the evaluation of {}: {}", p.ref().uri(), e.getMessage());
                    LOG.debug("cause", e);
                    userError = user;
                } else {
                    LOG.error("cannot plan the evaluation of {}", p.ref().uri(), e);
                }
                failed.put(p.key().path(), Errors.redact(String.valueOf(e.getMessage())));
            }
        }
        printPlan(found.size(), selected.size(), done, planned, dropped);
        List<EvaluationKey> evaluated = new ArrayList<>();
        List<EvaluationKey> elsewhere = new ArrayList<>();
        List<ResultRow> rows = new ArrayList<>();
        if (batch.dryRun()) {
            return new Report(planned, evaluated, done, elsewhere, dropped, failed, rows);
        }
        Claims claims = table.claims(batch.claimTimeoutMinutes() * 60_000L, holder());
        Progress progress = new Progress(LOG, "evaluation batch", "checkpoints", planned.size(), Progress.interval(settings.config()));
        int tried = 0;
        for (Planned p : planned) {
            if (tried++ > 0) {
                progress.update(tried - 1);
            }
            Optional<Claims.Claim> claim = claims.tryClaim(p.key().path());
            if (claim.isEmpty()) {
                elsewhere.add(p.key());
                continue;
            }
            try {
                if (!batch.force() && table.committed(p.key().path())) {
                    done++;
                    continue;
                }
                CheckpointEvaluation.Outcome out = CheckpointEvaluation.run(spark, new CheckpointEvaluation.Request(p.ref(),
                        checkpoints.get(p.key().path()), p.data(), eval, batch.diagnostics(), threads, settings.config()), table, p.key().path(), batch.force());
                rows.addAll(out.rows());
                evaluated.add(p.key());
                LOG.info("evaluated {}", p.key().path());
            } catch (RuntimeException e) {
                userError = userError(e);
                if (userError != null) {
                    LOG.error("evaluation of {} failed; nothing was written for it: {}", p.key().path(), userError.getMessage());
                    LOG.debug("cause", e);
                } else {
                    LOG.error("evaluation of {} failed; nothing was written for it", p.key().path(), e);
                }
                failed.put(p.key().path(), Errors.redact(String.valueOf(e.getMessage())));
            } finally {
                claims.release(claim.get());
            }
        }
        if (planned.size() > 1) {
            progress.finish(tried);
        }
        Report report = new Report(planned, evaluated, done, elsewhere, dropped, failed, rows);
        if (failed.size() == 1 && evaluated.isEmpty() && done == 0 && userError != null) {
            throw userError; // the only evaluation failed on a user error: its own message says what, where and the fix
        }
        if (!failed.isEmpty()) {
            StringBuilder what = new StringBuilder(failed.size() + " evaluation(s) failed and wrote nothing (" + evaluated.size()
                    + " committed):");
            failed.forEach((k, m) -> what.append("\n  ").append(k).append(": ").append(m));
            throw Errors.jobFailed(batch.runs() == null ? "evaluate" : batch.runs(), what.toString(),
                    "fix the cause and run the batch again: committed evaluations are not repeated", null);
        }
        return report;
    }

    private List<CheckpointRef> select(List<CheckpointRef> found) {
        Map<String, List<CheckpointRef>> byRun = new LinkedHashMap<>();
        found.forEach(r -> byRun.computeIfAbsent(r.run(), k -> new ArrayList<>()).add(r));
        List<CheckpointRef> out = new ArrayList<>();
        for (List<CheckpointRef> run : byRun.values()) {
            run.sort(Comparator.comparingLong(CheckpointRef::round));
            switch (batch.select()) {
                case ALL -> out.addAll(run);
                case LATEST -> out.add(run.get(run.size() - 1));
                case BEST_VALIDATION_ELBO -> out.add(ValidationSelection.best(spark, settings, batch, run, this::dataOf));
            }
        }
        return out;
    }

    private String dataOf(CheckpointRef ref) {
        String data = Keys.optionalString(settings.config(), "data.path");
        if (data != null) {
            return data;
        }
        if (ref.dataset() == null) {
            throw Errors.badConfigValue("data.path", null, "the dataset to evaluate " + ref.uri() + " on (its metadata names none)");
        }
        return ref.dataset();
    }

    private long examples(String data) {
        Manifest m = manifests.computeIfAbsent(data, d -> DatasetReader.manifest(spark, d));
        long n = m.count(eval.split());
        return eval.maxExamples() == null ? n : Math.min(n, eval.maxExamples());
    }

    private void printPlan(int found, int selected, int done, List<Planned> planned, List<EvaluationKey> dropped) {
        double flops = 0;
        StringBuilder s = new StringBuilder();
        s.append(String.format("evaluation batch: %d checkpoint(s) found, %d selected (%s), %d already evaluated, %d to evaluate%s%n",
                found, selected, batch.select().name().toLowerCase().replace('_', '-'), done, planned.size(),
                dropped.isEmpty() ? "" : ", " + dropped.size() + " left for later batches (evaluate.max-checkpoints)"));
        for (Planned p : planned) {
            flops += p.flops() * eval.k();
            s.append(String.format("  %s: %,d examples x k=%d x %.2f MFLOP decoder = %.3g FLOP%n", p.key().path(), p.examples(),
                    eval.k(), p.decoderFlops() / 1e6, p.flops() * eval.k()));
        }
        s.append(String.format("estimated cost: %.3g decoder FLOP, about %.1f min at %.0f GFLOP/s (evaluate.assumed-gflops)",
                flops, flops / (batch.assumedGflops() * 1e9) / 60, batch.assumedGflops()));
        System.out.println(s);
    }

    private static String holder() {
        return "batch " + UUID.randomUUID() + " on " + Claims.host() + " pid " + ProcessHandle.current().pid() + " since " + Instant.now();
    }
}
