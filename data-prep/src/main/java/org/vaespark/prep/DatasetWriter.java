package org.vaespark.prep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.io.DirectoryCommit;
import org.vaespark.prep.storage.CloudCommitters;
import org.vaespark.prep.storage.CurrentPointer;
import org.vaespark.prep.storage.ObjectStores;
import org.vaespark.prep.storage.Redact;
import org.vaespark.prep.validate.ContentHash;

/**
 * Writes the records of all splits as one Parquet dataset partitioned by {@link ImageSchema#SPLIT},
 * plus {@code _manifest.json}, through the Hadoop FileSystem API (local, hdfs://, s3a://).
 *
 * <p>The write is all-or-nothing, by one of two protocols chosen by the file system:
 * <ul>
 * <li>File systems (file://, hdfs://): everything goes to a hidden sibling {@code .<name>.tmp-<uuid>}
 * and is renamed to the output path only when complete ({@link DirectoryCommit}). An existing dataset
 * is replaced only with {@code overwrite}: it is renamed aside, the new one renamed in, then the old
 * one deleted. The layout is {@code <out>/_manifest.json} and {@code <out>/split=<name>/*.parquet}.
 * <li>Object stores (s3a:// …, {@link ObjectStores}), where a rename is a non-atomic copy: the Parquet
 * files are written through the S3A committer ({@link CloudCommitters}) into a fresh
 * {@code <out>/data-<uuid>/}, the manifest next to them, and only then is {@code <out>/_CURRENT}
 * written in one PUT naming that directory ({@link CurrentPointer}); superseded versions are deleted
 * afterwards. A job killed at any moment leaves the previous pointer, hence the previous dataset.
 * </ul>
 * On any failure the new files are deleted and the output path is left as it was.
 * {@link DatasetReader} follows the pointer when there is one, so both layouts read the same.
 */
public final class DatasetWriter {
    /** Rows per Parquet file: about 8 MB of 28x28 pixels, so MNIST train is a handful of files. */
    static final int ROWS_PER_FILE = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(DatasetWriter.class);

    private DatasetWriter() {
    }

    /** Writes {@code splits} and {@code manifest} to {@code output}; see the class comment. Returns the manifest written. */
    public static Manifest write(SparkSession spark, String output, Map<String, List<ImageRecord>> splits,
                                 Manifest manifest, boolean overwrite) {
        return write(spark, output, splits, manifest, overwrite, () -> { });
    }

    /** As {@link #write}, running {@code beforeCommit} once the temporary copy is complete (tests inject failures). */
    static Manifest write(SparkSession spark, String output, Map<String, List<ImageRecord>> splits, Manifest manifest,
                          boolean overwrite, Runnable beforeCommit) {
        checkConsistent(splits, manifest);
        return write(spark, output, spark.createDataFrame(rows(spark, splits), ImageSchema.SCHEMA), manifest, overwrite, beforeCommit);
    }

    /**
     * Writes rows produced anywhere (e.g. read in parallel by executors) in {@link ImageSchema#COLUMNS}
     * order. The manifest written is {@code manifest} with the {@link ContentHash} of the rows as written.
     * Returns that manifest.
     */
    public static Manifest write(SparkSession spark, String output, Dataset<Row> rows, Manifest manifest, boolean overwrite) {
        return write(spark, output, rows, manifest, overwrite, () -> { });
    }

    static Manifest write(SparkSession spark, String output, Dataset<Row> rows, Manifest manifest, boolean overwrite,
                          Runnable beforeCommit) {
        FileSystem fs = fileSystem(spark, output);
        Path out = fs.makeQualified(new Path(output));
        checkTarget(fs, out, overwrite);
        Path parent = out.getParent();
        if (parent == null) {
            throw Errors.badConfigValue(PrepareConfig.OUTPUT, Errors.redact(output), "a directory path below a parent, not a root");
        }
        boolean objectStore = ObjectStores.isObjectStore(fs);
        Path tmp = objectStore ? CurrentPointer.newVersion(out) : DirectoryCommit.tempSibling(out);
        Manifest written;
        try {
            rows.write().mode(SaveMode.ErrorIfExists).partitionBy(ImageSchema.SPLIT).parquet(tmp.toString());
            written = manifest.withContentSha256(ContentHash.of(DatasetReader.load(spark, tmp.toString(), manifest)));
            written.write(fs, tmp);
            beforeCommit.run();
            if (objectStore) {
                checkNoDatasetAppeared(fs, out, overwrite);
            } else if (fs.exists(out)) {
                checkTarget(fs, out, overwrite);
            }
            if (objectStore) {
                CurrentPointer.commit(fs, out, tmp);
            } else {
                DirectoryCommit.replace(fs, tmp, out);
            }
        } catch (Throwable t) {
            DirectoryCommit.deleteQuietly(fs, tmp, t);
            if (t instanceof VaeException v) {
                throw v;
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw Errors.jobFailed(output, "writing the dataset failed (" + Errors.redact(t.toString())
                    + "); the output path was left unchanged", "see the cause below, fix it and run the prepare job again",
                    Redact.cause(t));
        }
        if (objectStore) {
            CurrentPointer.deleteAllBut(fs, out, tmp);
        }
        LOG.info("Wrote dataset {} with splits {}{}", Errors.redact(out.toString()), manifest.counts(),
                objectStore ? " (version " + tmp.getName() + (CloudCommitters.available() ? ", S3A committer)" : ")") : "");
        return written;
    }

    /**
     * Fails unless {@code out} can be written: it must not exist, or {@code overwrite} must be set and
     * it must be an earlier dataset (it has a manifest) or an empty directory.
     */
    public static void checkTarget(FileSystem fs, Path out, boolean overwrite) {
        try {
            if (!fs.exists(out)) {
                return;
            }
            if (!overwrite) {
                throw Errors.jobFailed(out.toString(), "the output path already exists",
                        "set " + PrepareConfig.OVERWRITE + "=true to replace it, or choose another "
                                + PrepareConfig.OUTPUT + " path", null);
            }
            FileStatus status = fs.getFileStatus(out);
            boolean dataset = status.isDirectory() && (Manifest.exists(fs, out)
                    || fs.exists(new Path(out, CurrentPointer.FILE)));
            boolean empty = status.isDirectory() && fs.listStatus(out).length == 0;
            if (!dataset && !empty) {
                throw Errors.jobFailed(out.toString(), "the output path exists and is not a dataset written by the "
                        + "prepare job (no " + Manifest.FILE_NAME + "), so it is not replaced even with "
                        + PrepareConfig.OVERWRITE + "=true", "choose another " + PrepareConfig.OUTPUT
                        + " path, or remove this one yourself", null);
            }
        } catch (IOException e) {
            throw Errors.jobFailed(out.toString(), "cannot inspect the output path (" + Errors.redact(e.toString()) + ")",
                    "check the path and the storage credentials", Redact.cause(e));
        }
    }

    /** The version directory now lies inside {@code out}, so only a dataset written meanwhile is a conflict. */
    private static void checkNoDatasetAppeared(FileSystem fs, Path out, boolean overwrite) throws IOException {
        if (!overwrite && (fs.exists(new Path(out, CurrentPointer.FILE)) || Manifest.exists(fs, out))) {
            throw Errors.jobFailed(out.toString(), "another job wrote a dataset to the output path meanwhile",
                    "set " + PrepareConfig.OVERWRITE + "=true to replace it, or choose another "
                            + PrepareConfig.OUTPUT + " path", null);
        }
    }

    /**
     * The file system of {@code path}. A URI with user-info ({@code s3a://KEY:SECRET@bucket/…}) is refused
     * before Hadoop sees it, because Hadoop logs the URI it fails to open; credentials come from the
     * standard providers (environment, profile, instance role, {@code fs.s3a.*} settings) instead.
     */
    static FileSystem fileSystem(SparkSession spark, String path) {
        if (!Errors.redact(path).equals(path)) {
            throw Errors.badConfigValue("path", Errors.redact(path), "a path without credentials in it: give s3a "
                    + "credentials through the environment, a profile, the instance role or fs.s3a.* settings");
        }
        try {
            return new Path(path).getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException | IllegalArgumentException e) {
            throw Errors.jobFailed(path, "no file system for this path (" + Errors.redact(e.toString()) + ")",
                    "use a local path, hdfs:// or s3a:// with its Hadoop connector on the classpath", Redact.cause(e));
        }
    }

    /** One RDD partition per ROWS_PER_FILE rows of one split, so each partition writes one file of one split. */
    private static JavaRDD<Row> rows(SparkSession spark, Map<String, List<ImageRecord>> splits) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<JavaRDD<Row>> parts = new ArrayList<>();
        for (List<ImageRecord> records : splits.values()) {
            int slices = Math.max(1, (records.size() + ROWS_PER_FILE - 1) / ROWS_PER_FILE);
            parts.add(jsc.parallelize(ImageSchema.toRows(records), slices));
        }
        JavaRDD<Row> all = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            all = all.union(parts.get(i));
        }
        return all;
    }

    private static void checkConsistent(Map<String, List<ImageRecord>> splits, Manifest manifest) {
        if (splits.isEmpty() || !manifest.counts().keySet().equals(splits.keySet())) {
            throw Errors.badArgument("splits", "the records have splits " + splits.keySet() + " but the manifest lists "
                    + manifest.counts().keySet(), "build the manifest from the same source data (Manifest.of)");
        }
        for (Map.Entry<String, List<ImageRecord>> e : splits.entrySet()) {
            List<ImageRecord> records = e.getValue();
            if (records.isEmpty() || manifest.count(e.getKey()) != records.size()) {
                throw Errors.badArgument("splits", "split " + e.getKey() + " has " + records.size()
                        + " records but the manifest says " + manifest.count(e.getKey()),
                        "build the manifest from the same source data (Manifest.of); splits may not be empty");
            }
            for (ImageRecord r : records) {
                if (r.height() != manifest.height() || r.width() != manifest.width()
                        || r.channels() != manifest.channels() || !r.split().equals(e.getKey())) {
                    throw Errors.badArgument("splits", "record " + r.id() + " of split " + e.getKey() + " is " + r
                            + ", not " + manifest.height() + "x" + manifest.width() + "x" + manifest.channels()
                            + " of split " + e.getKey(), "write records of one shape, filed under their own split");
                }
            }
        }
    }
}
