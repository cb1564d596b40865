package org.vaespark.core.train;

/**
 * The step size of a replica's next local Adam step: {@code train.learning-rate} under the constant
 * schedule, otherwise the rate its caller last set from {@link TrainConfig#learningRateAt} (the caller
 * knows the epoch of each step; the local steps do not). A scheduled run whose caller never set a rate
 * fails at its first step rather than training silently at the base rate.
 */
final class StepRate {
    private final LearningRateSchedule schedule;
    private double rate;

    StepRate(TrainConfig config) {
        this.schedule = config.learningRateSchedule();
        this.rate = schedule == LearningRateSchedule.CONSTANT ? config.learningRate() : Double.NaN;
    }

    /** Sets the rate of the following steps. */
    void set(double rate) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("a learning rate must be a finite number > 0, found " + rate);
        }
        this.rate = rate;
    }

    /** The rate of the next step. */
    double current() {
        if (Double.isNaN(rate)) {
            throw new IllegalStateException("train.learning-rate-schedule is " + schedule.name().toLowerCase()
                    + " but no rate was set for this step: the caller of the local steps must call learningRate(config.learningRateAt(epochs))"
                    + " before each step");
        }
        return rate;
    }
}
