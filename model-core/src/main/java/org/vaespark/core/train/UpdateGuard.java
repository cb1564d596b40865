package org.vaespark.core.train;

import org.vaespark.core.tensor.NamedArrays;

/**
 * Decides whether an averaging round's update is applied or skipped, as VDVAE does (Child 2021,
 * "Very Deep VAEs Generalize Autoregressive Models and Can Outperform Them on Images": an update
 * whose gradient norm is NaN or above a threshold is skipped and counted, and training goes on).
 * Here the update is the averaged one, new minus old parameters over every parameter, so its L2
 * norm is what a round actually moves the model by.
 *
 * <p>A round is skipped when its update or its mean training ELBO is not finite, or when the norm
 * exceeds {@code train.max-update-norm}. The caller then keeps the previous parameters and Adam
 * moments; {@link #exhausted()} says when {@code train.max-consecutive-skips} rounds in a row were
 * skipped and the run must stop. The counters are plain values so a checkpoint can store them and a
 * resumed run continues the same count.
 */
public final class UpdateGuard {
    private final Double maxNorm;
    private final int maxConsecutive;
    private long skippedTotal;
    private int consecutive;

    /**
     * @param maxNorm        largest accepted L2 norm of a round's update; null = no bound
     * @param maxConsecutive skipped rounds in a row after which {@link #exhausted()} holds
     * @param skippedTotal   rounds skipped so far (a resumed run's count)
     * @param consecutive    rounds skipped in a row just before this one
     */
    public UpdateGuard(Double maxNorm, int maxConsecutive, long skippedTotal, int consecutive) {
        this.maxNorm = maxNorm;
        this.maxConsecutive = maxConsecutive;
        this.skippedTotal = skippedTotal;
        this.consecutive = consecutive;
    }

    /** A guard with the bounds of {@code train} and the given counts. */
    public static UpdateGuard of(TrainConfig train, long skippedTotal, int consecutive) {
        return new UpdateGuard(train.maxUpdateNorm(), train.maxConsecutiveSkips(), skippedTotal, consecutive);
    }

    /**
     * The outcome of one round.
     *
     * @param skip   true: keep the previous parameters and moments
     * @param norm   L2 norm of the update (NaN or infinite when the update is not finite)
     * @param reason why the round is skipped, for metrics and the error message; null when applied
     */
    public record Verdict(boolean skip, double norm, String reason) {
    }

    /** Judges the update {@code after − before} of a round whose mean training ELBO is {@code meanElbo}, and counts it. */
    public Verdict judge(NamedArrays before, NamedArrays after, double meanElbo) {
        return judge(updateNorm(before, after), meanElbo);
    }

    /** Judges an update whose L2 norm ({@link #updateNorm}) is {@code norm}, of a round whose mean training ELBO is {@code meanElbo}, and counts it. */
    public Verdict judge(double norm, double meanElbo) {
        String reason = null;
        if (!Double.isFinite(norm)) {
            reason = "the averaged update is not finite (NaN or infinite parameters)";
        } else if (!Double.isFinite(meanElbo)) {
            reason = "the training ELBO is not finite (" + meanElbo + ")";
        } else if (maxNorm != null && norm > maxNorm) {
            reason = "the averaged update's L2 norm " + norm + " exceeds train.max-update-norm=" + maxNorm;
        }
        if (reason == null) {
            consecutive = 0;
            return new Verdict(false, norm, null);
        }
        skippedTotal++;
        consecutive++;
        return new Verdict(true, norm, reason);
    }

    /** True once {@code maxConsecutive} rounds in a row were skipped. */
    public boolean exhausted() {
        return consecutive >= maxConsecutive;
    }

    public long skippedTotal() {
        return skippedTotal;
    }

    public int consecutive() {
        return consecutive;
    }

    /**
     * The L2 norm of {@code after − before} over every parameter, in double precision
     * ({@link SquaredDistance}); NaN or infinite when any value of {@code after} is.
     */
    public static double updateNorm(NamedArrays before, NamedArrays after) {
        SquaredDistance sum = new SquaredDistance();
        for (String name : after.names()) {
            float[] a = after.values(name);
            if (!sum.add(before.values(name), a, 0, a.length)) {
                break;
            }
        }
        return sum.norm();
    }
}
