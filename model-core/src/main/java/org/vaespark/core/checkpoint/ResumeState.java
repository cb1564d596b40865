package org.vaespark.core.checkpoint;

/**
 * The {@code resume} block of {@code metadata.json}: everything besides the arrays that a resumed
 * run needs to continue bit for bit where this checkpoint was taken. Parameters and Adam moments
 * are the checkpoint's arrays and Adam's t is {@link #adamStep()}; there is no random-number
 * generator state to store, because every partition's batch order, noise and dynamic binarization
 * are pure functions of (seed, partition, step) ({@link #DETERMINISM}). Resuming therefore refuses
 * a different seed, partition count, batch size, averaging frequency or dataset.
 *
 * @param determinism        {@link #DETERMINISM}, stated for a person reading the file
 * @param seed               train.seed
 * @param partitions         train.partitions
 * @param batchSize          train.batch-size
 * @param averagingFrequency train.averaging-frequency (local steps per round)
 * @param dataset            data.path of the training data
 * @param trainExamples      rows of the training split, to notice a dataset rewritten in place
 * @param round              completed averaging rounds
 * @param adamStep           local steps every replica has taken: Adam's t and the position in the batch schedule
 * @param examplesSeen       training examples processed over all replicas
 * @param skippedRounds      rounds skipped so far for a non-finite or too large update
 * @param consecutiveSkips   of those, the ones in a row just before this checkpoint
 */
public record ResumeState(String determinism, long seed, int partitions, int batchSize, int averagingFrequency, String dataset,
                          long trainExamples, long round, long adamStep, long examplesSeen, long skippedRounds, int consecutiveSkips) {
    public static final String DETERMINISM = "batch order, noise and dynamic binarization of partition p at local step t are pure "
            + "functions of (seed, p, t); the next round starts at t = adamStep with these parameters and Adam moments";
}
