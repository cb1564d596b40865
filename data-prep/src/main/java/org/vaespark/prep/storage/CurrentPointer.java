package org.vaespark.prep.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.errors.Errors;

/**
 * The commit point of a dataset on an object store: {@code <root>/_CURRENT}, one small object whose
 * content is the name of the complete version directory {@code data-<uuid>} (which holds its own
 * {@code _manifest.json} and {@code split=<name>/} Parquet files). S3 makes a single PUT visible
 * whole or not at all and overwrites it atomically ("Amazon S3 data consistency model"), so a reader
 * sees the previous version or the new one, never a mix; directories not named by the pointer are
 * uncommitted or superseded and are ignored. Without a pointer the dataset lies at the root itself
 * (the layout written by renaming on file systems).
 */
public final class CurrentPointer {
    public static final String FILE = "_CURRENT";
    /** Prefix of version directories; no leading '_' or '.', which Spark's file index would skip. */
    public static final String VERSION_PREFIX = "data-";
    private static final Logger LOG = LoggerFactory.getLogger(CurrentPointer.class);

    private CurrentPointer() {
    }

    /** A fresh version directory below {@code root}. */
    public static Path newVersion(Path root) {
        return new Path(root, VERSION_PREFIX + UUID.randomUUID());
    }

    /** The directory that holds the dataset at {@code root}: the version the pointer names, else the root. */
    public static Path resolve(FileSystem fs, Path root) {
        Path file = new Path(root, FILE);
        String name;
        try (InputStream in = fs.open(file)) {
            name = new String(in.readNBytes(256), StandardCharsets.UTF_8).trim();
        } catch (FileNotFoundException e) {
            return root;
        } catch (IOException e) {
            throw Errors.jobFailed(file.toString(), "cannot read the dataset's version pointer ("
                    + Errors.redact(e.toString()) + ")", "check the path and the storage credentials", Redact.cause(e));
        }
        if (!name.matches(VERSION_PREFIX + "[0-9a-f-]{36}")) {
            throw Errors.corruptFile(file.toString(), null, "the version pointer names '" + name
                    + "', not a directory " + VERSION_PREFIX + "<uuid>", "re-run the prepare job with prepare.overwrite=true");
        }
        return new Path(root, name);
    }

    /** Points {@code root} at {@code version} with one write of the pointer object: the commit. */
    public static void commit(FileSystem fs, Path root, Path version) throws IOException {
        try (OutputStream out = fs.create(new Path(root, FILE), true)) {
            out.write((version.getName() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Deletes everything under {@code root} but the pointer and {@code keep}; failures only leave garbage. */
    public static void deleteAllBut(FileSystem fs, Path root, Path keep) {
        try {
            for (FileStatus s : fs.listStatus(root)) {
                String name = s.getPath().getName();
                if (!name.equals(FILE) && !name.equals(keep.getName()) && !fs.delete(s.getPath(), true)) {
                    LOG.warn("Could not delete the superseded {}", Errors.redact(s.getPath().toString()));
                }
            }
        } catch (IOException e) {
            LOG.warn("Committed {} but could not delete superseded versions: {}", Errors.redact(keep.toString()),
                    Errors.redact(e.toString()));
        }
    }
}
