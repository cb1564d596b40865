package org.vaespark.jobs.train;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.ResumeState;
import org.vaespark.core.errors.Errors;

/**
 * Refuses to resume a run with settings that would change what the remaining rounds compute:
 * batches, noise and binarization are pure functions of (seed, partition, step) over the same data
 * ({@link ResumeState#DETERMINISM}), so the seed, the partition count, the batch size, the averaging
 * frequency and the training data must be the checkpoint's. The learning rate, the epochs and the
 * update bound may change (lowering the rate is the fix for a run stopped by skipped rounds).
 */
public final class ResumeCheck {
    /** The keys a resumed run must keep. */
    public static final List<String> FIXED_KEYS = List.of("train.seed", "train.partitions", "train.batch-size",
            "train.averaging-frequency", "data.path", "data.train-split", "data.binarization");

    private ResumeCheck() {
    }

    /**
     * Checks {@code current} against the settings stored in {@code checkpoint} (at {@code dir}) and the
     * training split's row count against the one the checkpoint recorded.
     */
    public static void check(Checkpoint checkpoint, Path dir, Config current, long trainExamples) {
        Config stored = checkpoint.settings().config();
        for (String key : FIXED_KEYS) {
            Object was = stored.hasPathOrNull(key) && !stored.getIsNull(key) ? stored.getValue(key).unwrapped() : null;
            Object now = current.getIsNull(key) ? null : current.getValue(key).unwrapped();
            if (!Objects.equals(String.valueOf(was), String.valueOf(now))) {
                throw refuse(key, now, String.valueOf(was), dir);
            }
        }
        ResumeState r = checkpoint.metadata().resume();
        if (r != null && r.trainExamples() != trainExamples) {
            throw refuse("data.path", current.getValue("data.path").unwrapped(),
                    "a training split of " + r.trainExamples() + " rows as when the checkpoint was written (it now has " + trainExamples + ")", dir);
        }
    }

    private static RuntimeException refuse(String key, Object now, String checkpointValue, Path dir) {
        return Errors.badConfigValue(key, now, checkpointValue + ", the value of the checkpoint " + dir + " being resumed (a resumed run "
                + "takes the same batches as the interrupted one, so " + String.join(", ", FIXED_KEYS)
                + " must not change; start a new run.dir to change them)");
    }
}
