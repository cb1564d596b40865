package org.vaespark.jobs.train;

import java.nio.file.Path;
import java.time.Instant;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.checkpoint.CheckpointMetadata;
import org.vaespark.core.checkpoint.ResumeState;
import org.vaespark.core.checkpoint.TrainingMachine;
import org.vaespark.core.checkpoint.Versions;
import org.vaespark.core.config.Settings;
import org.vaespark.core.cpu.ExecutorChoice;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.progress.Progress;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.core.train.TrainEngine;

/**
 * What a training engine ({@link SparkTrainer}, the DL4J engine) trains and where it writes:
 * the model and training settings, the resolved settings as JSON, the run directory and the
 * dataset. The one place a checkpoint's metadata is assembled, with the executor that trains
 * ({@link ExecutorChoice}).
 *
 * @param dataset     the dataset root, recorded in every checkpoint
 * @param datasetKind the dataset's source (e.g. binarized-mnist)
 */
public record TrainingRun(VaeConfig model, TrainConfig train, String settingsJson, RunDirectory run, String dataset, String datasetKind) {

    /**
     * Writes the checkpoint after {@code round} rounds, atomically.
     *
     * @param resume what a bit-exact resume needs, or null when the engine cannot resume bit for bit
     */
    public Path checkpoint(long round, NamedArrays params, AdamState adam, long examplesSeen, double wallSeconds, ResumeState resume) {
        CheckpointMetadata meta = new CheckpointMetadata(CheckpointMetadata.FORMAT_VERSION, settingsJson, model.inputDim(), model.image(),
                dataset, datasetKind, round, adam.step(), examplesSeen, train.seed(), wallSeconds, params.size(),
                Versions.all(), Instant.now().toString(), resume, executor().executor(), machine());
        return CheckpointIO.write(run.checkpoints(), new Checkpoint(meta, params, adam));
    }

    /** The machine that trains: the active session's task slots and master, or null outside a Spark session. */
    static TrainingMachine machine() {
        return SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined()
                ? machineOf(SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession().get()
                        : SparkSession.getDefaultSession().get())
                : null;
    }

    private static TrainingMachine machineOf(SparkSession spark) {
        return TrainingMachine.of(spark.sparkContext().defaultParallelism(), spark.sparkContext().master());
    }

    /** The cadence of the progress lines ({@code progress.interval-seconds} of the run's settings). */
    public double progressSeconds() {
        return Progress.interval(Settings.fromJson(settingsJson, "the run's settings").config());
    }

    /** The executor that runs the training steps ({@code model.backend}), and why. */
    public ExecutorChoice executor() {
        if (train.engine() == TrainEngine.DL4J) {
            return new ExecutorChoice(ExecutorChoice.GRAPH, "train.engine = dl4j: DL4J's computation graph runs the steps");
        }
        return ExecutorChoice.of(model, train.backend());
    }
}
