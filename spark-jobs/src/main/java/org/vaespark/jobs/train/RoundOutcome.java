package org.vaespark.jobs.train;

import java.io.Serializable;
import org.vaespark.core.train.UpdateGuard;

/**
 * What one averaging round produced, whoever averaged it (the driver's treeAggregate or the tasks'
 * collective exchange): the round (1-based), Adam's step after it, the examples the replicas took,
 * the mean training ELBO and its terms (NaN where not computed), the {@link UpdateGuard} verdict and
 * the guard's counts after it, and where the round's time went.
 */
public record RoundOutcome(long round, long adamStep, long examples, int replicas, double meanElbo, double meanReconstruction,
                           double meanKl, boolean skipped, double updateNorm, String skipReason, long skippedTotal,
                           int consecutiveSkips, RoundTimes times) implements Serializable {

    /** The outcome of a round judged by {@code guard} (its counts already include the verdict). */
    public static RoundOutcome of(long round, long adamStep, long examples, int replicas, double meanElbo, double meanReconstruction,
                                  double meanKl, UpdateGuard.Verdict verdict, UpdateGuard guard, RoundTimes times) {
        return new RoundOutcome(round, adamStep, examples, replicas, meanElbo, meanReconstruction, meanKl, verdict.skip(), verdict.norm(),
                verdict.reason(), guard.skippedTotal(), guard.consecutive(), times);
    }

    /** The same outcome with other times (the driver adds the stage's start-up to its first round). */
    public RoundOutcome withTimes(RoundTimes t) {
        return new RoundOutcome(round, adamStep, examples, replicas, meanElbo, meanReconstruction, meanKl, skipped, updateNorm, skipReason,
                skippedTotal, consecutiveSkips, t);
    }
}
