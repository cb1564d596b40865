package org.vaespark.core.checkpoint;

import java.util.Map;
import org.vaespark.core.model.ImageShape;

/**
 * The readable part of a checkpoint ({@code metadata.json}).
 *
 * @param formatVersion    layout version; loading rejects versions it does not know
 * @param settings         the resolved configuration (HOCON rendered as JSON) that built the model
 * @param inputDim         D of the dataset the model was trained on
 * @param image            height, width and channels of the training images (null in checkpoints written before it was stored: flat)
 * @param dataset          the training dataset's root path
 * @param datasetKind      the dataset's source kind (e.g. binarized-mnist)
 * @param round            completed averaging rounds
 * @param adamStep         local steps taken by every replica (Adam's t)
 * @param examplesSeen     training examples processed over all replicas
 * @param seed             the training seed
 * @param trainWallSeconds wall time of training so far
 * @param parameterCount   number of trainable scalars
 * @param versions         library and tool versions (project, ND4J, Java)
 * @param createdAt        ISO-8601 time of writing
 * @param resume           what a resumed run needs besides the arrays (null in checkpoints written before it was stored)
 * @param executor         the executor that trained it, "cpu" or "graph" ({@code ExecutorChoice}); null in checkpoints
 *                         written before it was stored
 * @param machine          the CPU and task slots that trained it (null in checkpoints written before it was stored)
 */
public record CheckpointMetadata(int formatVersion, String settings, int inputDim, ImageShape image, String dataset, String datasetKind,
                                 long round, long adamStep, long examplesSeen, long seed, double trainWallSeconds,
                                 long parameterCount, Map<String, String> versions, String createdAt, ResumeState resume,
                                 String executor, TrainingMachine machine) {
    public static final int FORMAT_VERSION = 1;

    /** Metadata without the training machine. */
    public CheckpointMetadata(int formatVersion, String settings, int inputDim, ImageShape image, String dataset, String datasetKind,
                              long round, long adamStep, long examplesSeen, long seed, double trainWallSeconds,
                              long parameterCount, Map<String, String> versions, String createdAt, ResumeState resume,
                              String executor) {
        this(formatVersion, settings, inputDim, image, dataset, datasetKind, round, adamStep, examplesSeen, seed, trainWallSeconds,
                parameterCount, versions, createdAt, resume, executor, null);
    }

    /** Metadata without the training executor. */
    public CheckpointMetadata(int formatVersion, String settings, int inputDim, ImageShape image, String dataset, String datasetKind,
                              long round, long adamStep, long examplesSeen, long seed, double trainWallSeconds,
                              long parameterCount, Map<String, String> versions, String createdAt, ResumeState resume) {
        this(formatVersion, settings, inputDim, image, dataset, datasetKind, round, adamStep, examplesSeen, seed, trainWallSeconds,
                parameterCount, versions, createdAt, resume, null, null);
    }

    /** Metadata without a resume block. */
    public CheckpointMetadata(int formatVersion, String settings, int inputDim, ImageShape image, String dataset, String datasetKind,
                              long round, long adamStep, long examplesSeen, long seed, double trainWallSeconds,
                              long parameterCount, Map<String, String> versions, String createdAt) {
        this(formatVersion, settings, inputDim, image, dataset, datasetKind, round, adamStep, examplesSeen, seed, trainWallSeconds,
                parameterCount, versions, createdAt, null, null, null);
    }

    /** The image shape, or a flat shape of {@link #inputDim()} values for checkpoints that predate it. */
    public ImageShape imageShape() {
        return image != null ? image : ImageShape.flat(inputDim);
    }
}
