package org.vaespark.core.train;

/**
 * How Adam's step size (Kingma &amp; Ba 2015) changes over training, as a function of the epochs
 * trained so far ({@link TrainConfig#learningRateAt}).
 *
 * <ul>
 *   <li>{@link #CONSTANT}: {@code train.learning-rate} throughout.</li>
 *   <li>{@link #BURDA}: Burda et al. (2016, App. C) train in stages i = 0..7; stage i lasts 3^i
 *   epochs at rate lr · 10^(-i/7), 3280 epochs in all. Past the last stage the rate stays at the
 *   last stage's (a run longer than the protocol keeps its final rate rather than jumping back).</li>
 * </ul>
 */
public enum LearningRateSchedule {
    CONSTANT,
    BURDA;

    /** Stages of Burda et al.'s schedule (i = 0..7). */
    public static final int BURDA_STAGES = 8;
    /** Epochs of the whole Burda schedule: the sum of 3^i over its stages, (3^8 - 1) / 2. */
    public static final int BURDA_EPOCHS = 3280;

    /** The rate after {@code epochs} epochs (a fraction counts: epoch 3.5 is half-way through the fourth epoch). */
    public double rate(double base, double epochs) {
        if (!(epochs >= 0)) {
            throw new IllegalArgumentException("epochs must be >= 0, found " + epochs);
        }
        return switch (this) {
            case CONSTANT -> base;
            case BURDA -> base * Math.pow(10, -burdaStage(epochs) / 7.0);
        };
    }

    /** Burda et al.'s stage at {@code epochs}: i with (3^i - 1)/2 &lt;= epochs &lt; (3^(i+1) - 1)/2, at most 7. */
    public static int burdaStage(double epochs) {
        long end = 1;
        long length = 1;
        for (int i = 0; i < BURDA_STAGES - 1; i++) {
            if (epochs < end) {
                return i;
            }
            length *= 3;
            end += length;
        }
        return BURDA_STAGES - 1;
    }
}
