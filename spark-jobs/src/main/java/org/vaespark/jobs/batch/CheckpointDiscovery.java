package org.vaespark.jobs.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.errors.VaeException;

/**
 * Finds every committed checkpoint under a runs directory (local, {@code hdfs://} or
 * {@code s3a://}): {@code <runs>/<run>/checkpoints/round-NNNNNN/metadata.json}. A checkpoint is
 * committed when its metadata is in place (the trainer writes it last and renames the directory
 * into place), so half-written ones and hidden temporary directories are never returned.
 */
public final class CheckpointDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointDiscovery.class);

    private CheckpointDiscovery() {
    }

    /** Every committed checkpoint, ordered by run then round. */
    public static List<CheckpointRef> find(String runs, Configuration conf) {
        if (runs == null || runs.isBlank()) {
            throw Errors.badConfigValue("evaluate.runs", runs, "a runs directory whose <run>/checkpoints/round-*/ to evaluate");
        }
        Path root = new Path(runs);
        try {
            FileSystem fs = root.getFileSystem(conf);
            if (!fs.exists(root)) {
                throw Errors.missingInput(runs, "a runs directory holding <run>/checkpoints/round-NNNNNN/ (train with run.dir=<runs>/<run>)");
            }
            List<CheckpointRef> found = new ArrayList<>();
            FileStatus[] metadata = fs.globStatus(new Path(root, "*/checkpoints/round-*/" + CheckpointIO.METADATA));
            for (FileStatus m : metadata == null ? new FileStatus[0] : metadata) {
                Path dir = m.getPath().getParent();
                String run = dir.getParent().getParent().getName();
                if (run.startsWith(".") || dir.getName().startsWith(".")) {
                    continue;
                }
                try {
                    found.add(read(fs, m.getPath(), run, dir));
                } catch (VaeException damaged) {
                    // one damaged checkpoint does not stop the batch from evaluating the others
                    LOG.warn("passing over checkpoint " + run + "/" + dir.getName() + ": " + damaged.getMessage());
                }
            }
            found.sort(Comparator.comparing(CheckpointRef::run).thenComparingLong(CheckpointRef::round));
            return found;
        } catch (IOException e) {
            throw Errors.jobFailed(runs, "cannot list the runs directory: " + Errors.redact(e.getMessage()),
                    "check the path and credentials", e);
        }
    }

    /** The checkpoint in directory {@code dir} ({@code <run>/checkpoints/<name>}). */
    public static CheckpointRef at(String dir, Configuration conf) {
        Path p = new Path(dir);
        try {
            FileSystem fs = p.getFileSystem(conf);
            Path qualified = fs.makeQualified(p);
            Path metadata = new Path(qualified, CheckpointIO.METADATA);
            if (!fs.exists(metadata)) {
                throw Errors.missingInput(dir, "a committed checkpoint directory (round-NNNNNN/ with metadata.json)");
            }
            Path runDir = qualified.getParent() == null ? null : qualified.getParent().getParent();
            return read(fs, metadata, runDir == null ? qualified.getName() : runDir.getName(), qualified);
        } catch (IOException e) {
            throw Errors.jobFailed(dir, "cannot read the checkpoint: " + Errors.redact(e.getMessage()), "check the path", e);
        }
    }

    private static CheckpointRef read(FileSystem fs, Path metadata, String run, Path dir) throws IOException {
        try (InputStream in = fs.open(metadata)) {
            JsonNode json = CheckpointIO.metadataTree(in, metadata.toString());
            JsonNode round = json.get("round");
            JsonNode created = json.get("createdAt");
            if (round == null || created == null) {
                throw Errors.corruptFile(metadata.toString(), "metadata.json", "it has no round or createdAt",
                        "the checkpoint was not written by this tool; remove it from the runs directory");
            }
            LOG.debug("found checkpoint {}", dir);
            JsonNode dataset = json.get("dataset");
            return new CheckpointRef(run, dir.getName(), dir.toString(), round.asLong(), created.asText(),
                    dataset == null || dataset.isNull() ? null : dataset.asText());
        }
    }
}
