package org.vaespark.jobs.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.errors.Errors;

/**
 * Reads a checkpoint directory from any Hadoop file system. Local checkpoints are read in
 * place; remote ones ({@code hdfs://}, {@code s3a://}) are copied to a temporary local
 * directory first (a checkpoint is a few MB of named arrays plus metadata.json), read with
 * {@link CheckpointIO} and the copy deleted.
 */
public final class CheckpointFetch {
    private CheckpointFetch() {
    }

    public static Checkpoint read(String uri, Configuration conf) {
        Path dir = new Path(uri);
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if ("file".equals(fs.getScheme())) {
                return CheckpointIO.read(Paths.get(fs.makeQualified(dir).toUri()));
            }
            java.nio.file.Path local = Files.createTempDirectory("vae-checkpoint-");
            try {
                java.nio.file.Path copy = local.resolve(dir.getName());
                fs.copyToLocalFile(false, dir, new Path(copy.toUri()), true);
                return CheckpointIO.read(copy, Errors.redact(fs.makeQualified(dir).toString()));
            } finally {
                try (Stream<java.nio.file.Path> files = Files.walk(local)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw Errors.jobFailed(uri, "cannot read the checkpoint: " + Errors.redact(e.getMessage()),
                    "check the path and credentials", e);
        }
    }
}
