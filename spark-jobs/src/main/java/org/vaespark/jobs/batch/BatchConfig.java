package org.vaespark.jobs.batch;

import com.typesafe.config.Config;
import java.util.List;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;

/**
 * The settings of a scheduled evaluation batch ({@code evaluate.*}).
 *
 * @param runs               runs directory to scan; null = evaluate one checkpoint (evaluate.checkpoint or run.dir)
 * @param select             which checkpoints of each run: all, latest, best-validation-elbo
 * @param maxCheckpoints     at most this many evaluations per batch, newest checkpoints first; null = no limit
 * @param selectionSplit     split of the validation ELBO that best-validation-elbo ranks by
 * @param selectionExamples  examples of that split used; null = all
 * @param dryRun             print the plan and its cost, evaluate nothing
 * @param force              re-evaluate committed evaluations and replace them
 * @param claimTimeoutMinutes a claim older than this belongs to a dead batch and is taken over
 * @param assumedGflops      decoder GFLOP/s assumed in the time estimate
 * @param diagnostics        extra figures computed with each evaluation
 */
public record BatchConfig(String runs, Select select, Integer maxCheckpoints, String selectionSplit, Integer selectionExamples,
                          boolean dryRun, boolean force, long claimTimeoutMinutes, double assumedGflops, List<String> diagnostics) {

    /** Checkpoint selection per run. */
    public enum Select {
        ALL, LATEST, BEST_VALIDATION_ELBO
    }

    /** The diagnostics an evaluation can add. */
    public static final List<String> DIAGNOSTICS = List.of("posterior", "imputation", "figures", "ood", "amortization", "multimodal");

    public BatchConfig {
        if (claimTimeoutMinutes <= 0) {
            throw Errors.badConfigValue("evaluate.claim-timeout-minutes", claimTimeoutMinutes, "minutes > 0");
        }
        if (!(assumedGflops > 0)) {
            throw Errors.badConfigValue("evaluate.assumed-gflops", assumedGflops, "GFLOP/s > 0");
        }
        for (String d : diagnostics) {
            if (!DIAGNOSTICS.contains(d)) {
                throw Errors.badConfigValue("evaluate.diagnostics", diagnostics, "a list drawn from " + DIAGNOSTICS);
            }
        }
        diagnostics = List.copyOf(diagnostics);
    }

    public static BatchConfig from(Config c) {
        String select = Keys.string(c, "evaluate.select");
        Select s;
        try {
            s = Select.valueOf(select.toUpperCase().replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw Errors.badConfigValue("evaluate.select", select, "all, latest or best-validation-elbo");
        }
        return new BatchConfig(Keys.optionalString(c, "evaluate.runs"), s, Keys.optionalPositiveInt(c, "evaluate.max-checkpoints"),
                Keys.string(c, "evaluate.selection.split"), Keys.optionalPositiveInt(c, "evaluate.selection.max-examples"),
                Keys.bool(c, "evaluate.dry-run"), Keys.bool(c, "evaluate.force"), Keys.longValue(c, "evaluate.claim-timeout-minutes"),
                Keys.positiveDouble(c, "evaluate.assumed-gflops"), c.getStringList("evaluate.diagnostics"));
    }
}
