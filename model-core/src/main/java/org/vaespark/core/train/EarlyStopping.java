package org.vaespark.core.train;

import com.typesafe.config.Config;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;

/**
 * Early stopping on the validation split, keeping the checkpoint with the best validation ELBO
 * (Tomczak &amp; Welling 2018's protocol, as their code runs it: the single-sample ELBO at β = 1 on the
 * validation set after every epoch; training stops once it has not improved for more than
 * {@code patience-epochs} epochs; epochs inside the KL warm-up never count against the patience).
 * Read from {@code train.early-stopping.*} and {@code model.objective.warmup-epochs}.
 *
 * @param patienceEpochs epochs without a better validation ELBO that are still tolerated; null = off
 * @param everyEpochs    epochs between two validations (each validation is one checkpoint)
 * @param warmupEpochs   validations before this epoch never count against the patience
 * @param split          the validation split
 * @param maxExamples    validate on N examples, the {@link org.vaespark.core.eval.ExampleSubset} of that size; null = the whole split
 * @param batchSize      examples per batch of the validation pass
 */
public record EarlyStopping(Integer patienceEpochs, int everyEpochs, int warmupEpochs, String split, Integer maxExamples, int batchSize) {

    public EarlyStopping {
        if (patienceEpochs != null && patienceEpochs < 0) {
            throw Errors.badConfigValue("train.early-stopping.patience-epochs", patienceEpochs, "null (off) or an integer >= 0");
        }
        if (everyEpochs <= 0) {
            throw Errors.badConfigValue("train.early-stopping.every-epochs", everyEpochs, "an integer > 0");
        }
        if (patienceEpochs != null && patienceEpochs < everyEpochs) {
            throw Errors.badConfigValue("train.early-stopping.patience-epochs", patienceEpochs,
                    "at least train.early-stopping.every-epochs (" + everyEpochs + "): a shorter patience stops at the first validation that is not better");
        }
        if (split == null || split.isBlank()) {
            throw Errors.badConfigValue("train.early-stopping.split", split, "the name of a split of the dataset, e.g. valid");
        }
        if (maxExamples != null && maxExamples <= 0) {
            throw Errors.badConfigValue("train.early-stopping.max-examples", maxExamples, "null (the whole split) or an integer > 0");
        }
        if (batchSize <= 0) {
            throw Errors.badConfigValue("train.early-stopping.batch-size", batchSize, "an integer > 0");
        }
    }

    public static EarlyStopping from(Config c) {
        return new EarlyStopping(c.getIsNull("train.early-stopping.patience-epochs") ? null : Keys.intValue(c, "train.early-stopping.patience-epochs"),
                Keys.intValue(c, "train.early-stopping.every-epochs"), Keys.nonNegativeInt(c, "model.objective.warmup-epochs"),
                Keys.string(c, "train.early-stopping.split"), Keys.optionalPositiveInt(c, "train.early-stopping.max-examples"),
                Keys.intValue(c, "train.early-stopping.batch-size"));
    }

    /** Whether training stops early (otherwise it runs its train.epochs). */
    public boolean enabled() {
        return patienceEpochs != null;
    }

    /** The epochs at which training pauses for a validation: every {@code everyEpochs}, and the last epoch. */
    public int nextValidation(int afterEpoch, int lastEpoch) {
        return Math.min(lastEpoch, (afterEpoch / everyEpochs + 1) * everyEpochs);
    }

    /** A fresh record of validations. */
    public Tracker tracker() {
        return new Tracker(this);
    }

    /** What one validation decided. */
    public record Verdict(boolean improved, boolean stop, int epochsWithoutImprovement, String best, double bestElbo, int bestEpoch) {
    }

    /**
     * The validations of one run in order: the best checkpoint so far and whether to stop. Replaying
     * a run's recorded validations into a fresh tracker gives the same verdicts (a resumed run uses that).
     */
    public static final class Tracker {
        private final EarlyStopping rule;
        private String best;
        private double bestElbo = Double.NEGATIVE_INFINITY;
        private int bestEpoch = -1;
        private int lastEpoch;
        private int without;
        private boolean stopped;

        private Tracker(EarlyStopping rule) {
            this.rule = rule;
        }

        /** Records the validation ELBO of {@code checkpoint}, written after {@code epoch} epochs. */
        public Verdict observe(int epoch, String checkpoint, double validElbo) {
            if (stopped) {
                throw new IllegalStateException("training already stopped at epoch " + lastEpoch + "; no validation follows");
            }
            if (epoch <= lastEpoch && bestEpoch >= 0) {
                throw new IllegalArgumentException("validations must come in epoch order: epoch " + epoch + " after " + lastEpoch);
            }
            int elapsed = epoch - Math.max(lastEpoch, 0);
            lastEpoch = epoch;
            // a NaN ELBO is never better: the authors' loop also stops on it
            boolean improved = validElbo > bestElbo;
            if (improved) {
                best = checkpoint;
                bestElbo = validElbo;
                bestEpoch = epoch;
                without = 0;
            } else {
                without += elapsed;
                if (epoch < rule.warmupEpochs()) {
                    without = 0;
                }
            }
            stopped = Double.isNaN(validElbo) || (rule.enabled() && without > rule.patienceEpochs());
            return new Verdict(improved, stopped, without, best, bestElbo, bestEpoch);
        }

        public boolean stopped() {
            return stopped;
        }

        /** The best checkpoint so far, or null before the first finite validation. */
        public String best() {
            return best;
        }

        public int lastEpoch() {
            return lastEpoch;
        }
    }
}
