package org.vaespark.prep.io;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.storage.Redact;

/**
 * All-or-nothing directory output on any Hadoop file system: write into a hidden sibling
 * {@code .<name>.tmp-<uuid>}, then rename it to the target; an existing target is renamed aside
 * first and deleted only after the new one is in place (and moved back if that fails). Readers
 * never see a half-written directory under the target's name, except for the instant between the
 * two renames of a swap, when both complete versions exist only under their hidden names. On object
 * stores a rename is a copy, so the swap is not atomic there: datasets on object stores are committed
 * by {@link org.vaespark.prep.storage.CurrentPointer} instead. Paths in messages and logs are redacted.
 */
public final class DirectoryCommit {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryCommit.class);

    private DirectoryCommit() {
    }

    /** Fills a temporary directory. */
    @FunctionalInterface
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    /** The hidden temporary sibling of {@code out}. */
    public static Path tempSibling(Path out) {
        return new Path(out.getParent(), "." + out.getName() + ".tmp-" + UUID.randomUUID());
    }

    /** Writes {@code out} through {@code writer}, replacing any existing directory there. */
    public static void write(FileSystem fs, Path out, Writer writer) {
        Path tmp = tempSibling(out);
        try {
            fs.mkdirs(out.getParent());
            writer.write(tmp);
            replace(fs, tmp, out);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(fs, tmp, e);
            if (e instanceof VaeException v) {
                throw v;
            }
            throw Errors.jobFailed(out.toString(), "writing failed (" + Errors.redact(e.toString())
                    + "); the output path was left unchanged",
                    "check free space, permissions and credentials, then run the job again", Redact.cause(e));
        }
    }

    /** Moves a complete {@code tmp} to {@code out}, swapping out an existing {@code out}. */
    public static void replace(FileSystem fs, Path tmp, Path out) throws IOException {
        if (!fs.exists(out)) {
            rename(fs, tmp, out);
            return;
        }
        Path old = new Path(out.getParent(), "." + out.getName() + ".old-" + UUID.randomUUID());
        rename(fs, out, old);
        try {
            rename(fs, tmp, out);
        } catch (RuntimeException e) {
            if (!fs.exists(out) && fs.rename(old, out)) {
                throw e;
            }
            throw Errors.jobFailed(out.toString(), "the new output could not be moved in and the previous one could "
                    + "not be moved back; it is kept at " + old, "move " + old + " back to " + out + " by hand", e);
        }
        if (!fs.delete(old, true)) {
            LOG.warn("Replaced {} but could not delete the previous version, now at {}", Errors.redact(out.toString()),
                    Errors.redact(old.toString()));
        }
    }

    /** Deletes a temporary directory after a failure, recording a cleanup failure on it. */
    public static void deleteQuietly(FileSystem fs, Path tmp, Throwable failure) {
        try {
            if (fs.exists(tmp) && !fs.delete(tmp, true)) {
                LOG.warn("Could not delete the temporary directory {}", Errors.redact(tmp.toString()));
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw Errors.jobFailed(to.toString(), "cannot rename " + Errors.redact(from.toString()) + " to "
                    + Errors.redact(to.toString()),
                    "check write permission on the parent directory and that nothing else writes there", null);
        }
    }
}
