package org.vaespark.jobs.batch;

import java.io.Serializable;

/**
 * A committed checkpoint found under a runs directory: {@code <runs>/<run>/checkpoints/<name>/}
 * with its {@code metadata.json}, on any Hadoop file system.
 *
 * @param run       the run directory's name
 * @param name      the checkpoint directory's name, e.g. round-000025
 * @param uri       the checkpoint directory, fully qualified
 * @param round     the averaging round it was written after
 * @param createdAt the checkpoint's creation time from its metadata (part of its identity)
 * @param dataset   the dataset it was trained on, as recorded in its metadata
 */
public record CheckpointRef(String run, String name, String uri, long round, String createdAt, String dataset)
        implements Serializable {
}
