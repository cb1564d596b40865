package org.vaespark.core.train;

import org.vaespark.core.cpu.Backend;

import com.typesafe.config.Config;
import java.io.Serializable;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.model.Binarization;

/**
 * The optimisation hyperparameters and the seed (the trainer owns them; the model does not).
 * Read from the {@code train.*}, {@code data.binarization} and {@code runtime.*} keys.
 *
 * @param seed               parameter initialisation, data order and noise all derive from it
 * @param batchSize          minibatch size of one local step
 * @param learningRate       Adam step size (Kingma &amp; Ba 2015)
 * @param beta1              Adam first-moment decay
 * @param beta2              Adam second-moment decay
 * @param epsilon            Adam denominator constant
 * @param epochs             training length in passes over the training split
 * @param averagingFrequency local steps between parameter averages
 * @param partitions         data partitions / model replicas
 * @param checkpointEvery    rounds between checkpoints
 * @param samples            Monte-Carlo samples of z per example
 * @param binarization       pixel encoding of the training data
 * @param threadsPerTask     ND4J/BLAS threads per task
 * @param labelledPerClass   semi-supervised training (M2): the first N examples of each class by id keep
 *                           their labels, the others are unlabelled ({@link LabelledSubset}); null = every label
 * @param maxUpdateNorm      a round whose averaged update has a larger L2 norm is skipped ({@link UpdateGuard}); null = no bound
 * @param maxConsecutiveSkips training stops after this many skipped rounds in a row
 * @param engine             who runs the averaging loop: our SameDiff loop or DL4J's Spark training master
 * @param learningRateSchedule how the step size moves from {@code learningRate} over the epochs ({@link #learningRateAt})
 * @param backend            which executor runs the local steps ({@code model.backend}; {@link org.vaespark.core.cpu.ExecutorChoice})
 */
public record TrainConfig(long seed, int batchSize, double learningRate, double beta1, double beta2, double epsilon,
                          int epochs, int averagingFrequency, int partitions, int checkpointEvery, int samples,
                          Binarization binarization, int threadsPerTask, Integer labelledPerClass, Double maxUpdateNorm,
                          int maxConsecutiveSkips, TrainEngine engine, LearningRateSchedule learningRateSchedule,
                          Backend backend)
        implements Serializable {
    /** Default of {@code train.max-consecutive-skips}. */
    public static final int DEFAULT_MAX_CONSECUTIVE_SKIPS = 5;

    public TrainConfig {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw Errors.badConfigValue("train.learning-rate", learningRate, "a finite number > 0");
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw Errors.badConfigValue("train.adam.beta1", beta1, "a number in [0, 1)");
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw Errors.badConfigValue("train.adam.beta2", beta2, "a number in [0, 1)");
        }
        for (Object[] kv : new Object[][]{{"train.batch-size", batchSize}, {"train.epochs", epochs},
                {"train.averaging-frequency", averagingFrequency}, {"train.partitions", partitions},
                {"train.checkpoint-every-rounds", checkpointEvery}, {"train.samples", samples},
                {"runtime.threads-per-task", threadsPerTask}}) {
            if ((int) kv[1] <= 0) {
                throw Errors.badConfigValue((String) kv[0], kv[1], "an integer > 0");
            }
        }
        if (labelledPerClass != null && labelledPerClass <= 0) {
            throw Errors.badConfigValue("train.labelled-per-class", labelledPerClass, "null (every label) or an integer > 0");
        }
        if (maxUpdateNorm != null && !(maxUpdateNorm > 0)) {
            throw Errors.badConfigValue("train.max-update-norm", maxUpdateNorm, "null (no bound) or a number > 0");
        }
        if (maxConsecutiveSkips <= 0) {
            throw Errors.badConfigValue("train.max-consecutive-skips", maxConsecutiveSkips, "an integer > 0");
        }
        if (engine == null) {
            throw Errors.badConfigValue("train.engine", "null", "samediff or dl4j");
        }
        if (backend == null) {
            throw Errors.badConfigValue("model.backend", "null", "auto, graph or cpu");
        }
        if (engine == TrainEngine.DL4J && backend == Backend.CPU) {
            throw Errors.badConfigValue("model.backend", "cpu",
                    "auto or graph with train.engine = dl4j (DL4J's training master steps the graph itself)");
        }
        if (learningRateSchedule == null) {
            throw Errors.badConfigValue("train.learning-rate-schedule", "null", "constant or burda");
        }
        if (learningRateSchedule != LearningRateSchedule.CONSTANT && engine == TrainEngine.DL4J) {
            throw Errors.badConfigValue("train.learning-rate-schedule", learningRateSchedule.name().toLowerCase(),
                    "constant with train.engine=dl4j (DL4J's training master keeps its own fixed rate)");
        }
    }

    /** A constant learning rate and the automatic executor choice. */
    public TrainConfig(long seed, int batchSize, double learningRate, double beta1, double beta2, double epsilon,
                       int epochs, int averagingFrequency, int partitions, int checkpointEvery, int samples,
                       Binarization binarization, int threadsPerTask, Integer labelledPerClass, Double maxUpdateNorm,
                       int maxConsecutiveSkips, TrainEngine engine) {
        this(seed, batchSize, learningRate, beta1, beta2, epsilon, epochs, averagingFrequency, partitions, checkpointEvery,
                samples, binarization, threadsPerTask, labelledPerClass, maxUpdateNorm, maxConsecutiveSkips, engine,
                LearningRateSchedule.CONSTANT, Backend.AUTO);
    }

    /** The same settings on another executor. */
    public TrainConfig withBackend(Backend b) {
        return new TrainConfig(seed, batchSize, learningRate, beta1, beta2, epsilon, epochs, averagingFrequency, partitions,
                checkpointEvery, samples, binarization, threadsPerTask, labelledPerClass, maxUpdateNorm, maxConsecutiveSkips, engine,
                learningRateSchedule, b);
    }

    /**
     * Adam's step size after {@code epochs} epochs of training (fractional: step / steps per epoch),
     * {@code train.learning-rate} moved by {@code train.learning-rate-schedule}. Whoever takes the local
     * steps sets the rate of each step from this.
     */
    public double learningRateAt(double epochs) {
        return learningRateSchedule.rate(learningRate, epochs);
    }

    /** No update-norm bound, the default skip limit, the SameDiff engine. */
    public TrainConfig(long seed, int batchSize, double learningRate, double beta1, double beta2, double epsilon,
                       int epochs, int averagingFrequency, int partitions, int checkpointEvery, int samples,
                       Binarization binarization, int threadsPerTask, Integer labelledPerClass) {
        this(seed, batchSize, learningRate, beta1, beta2, epsilon, epochs, averagingFrequency, partitions, checkpointEvery,
                samples, binarization, threadsPerTask, labelledPerClass, null, DEFAULT_MAX_CONSECUTIVE_SKIPS, TrainEngine.SAMEDIFF);
    }

    /** Every label used (no semi-supervised hiding). */
    public TrainConfig(long seed, int batchSize, double learningRate, double beta1, double beta2, double epsilon,
                       int epochs, int averagingFrequency, int partitions, int checkpointEvery, int samples,
                       Binarization binarization, int threadsPerTask) {
        this(seed, batchSize, learningRate, beta1, beta2, epsilon, epochs, averagingFrequency, partitions, checkpointEvery,
                samples, binarization, threadsPerTask, null);
    }

    public static TrainConfig from(Config c) {
        return new TrainConfig(Keys.longValue(c, "train.seed"), Keys.intValue(c, "train.batch-size"),
                Keys.doubleValue(c, "train.learning-rate"), Keys.doubleValue(c, "train.adam.beta1"),
                Keys.doubleValue(c, "train.adam.beta2"), Keys.positiveDouble(c, "train.adam.epsilon"),
                Keys.intValue(c, "train.epochs"), Keys.intValue(c, "train.averaging-frequency"),
                Keys.intValue(c, "train.partitions"), Keys.intValue(c, "train.checkpoint-every-rounds"),
                Keys.intValue(c, "train.samples"), Keys.enumValue(c, "data.binarization", Binarization.class),
                Keys.intValue(c, "runtime.threads-per-task"), labelledPerClass(c), maxUpdateNorm(c),
                Keys.intValue(c, "train.max-consecutive-skips"), Keys.enumValue(c, "train.engine", TrainEngine.class),
                Keys.enumValue(c, "train.learning-rate-schedule", LearningRateSchedule.class), Backend.from(c));
    }

    private static Double maxUpdateNorm(Config c) {
        return c.getIsNull("train.max-update-norm") ? null : Keys.doubleValue(c, "train.max-update-norm");
    }

    private static Integer labelledPerClass(Config c) {
        if (c.getIsNull("train.labelled-per-class")) {
            return null;
        }
        return Keys.intValue(c, "train.labelled-per-class");
    }

    /** Averaging rounds needed for {@link #epochs()} passes over {@code examples} training examples. */
    public long totalRounds(long examples) {
        long perRound = (long) batchSize * averagingFrequency * partitions;
        return Math.max(1, (epochs * examples + perRound - 1) / perRound);
    }
}
