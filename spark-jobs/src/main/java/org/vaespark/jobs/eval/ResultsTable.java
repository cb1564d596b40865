package org.vaespark.jobs.eval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.errors.Errors;
import org.vaespark.jobs.batch.Claims;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.jobs.leaderboard.ResultSchema;
import org.vaespark.prep.io.DirectoryCommit;

/**
 * The results table under {@code results.dir}. Each evaluation is one directory
 * {@code evaluations/<run>/<checkpoint>/<split>-k<k>-<hash>/} holding {@code summary/} (rows of
 * {@link ResultSchema}), {@code metrics/} ({@link MetricSchema}), {@code per-example/} and any
 * figures. It is written under a hidden temporary name and renamed into place only when
 * complete, and only if no evaluation with the same key is there yet: a crashed evaluation
 * leaves no rows, and an evaluation key has at most one directory, so the table never holds
 * duplicates. {@code claims/} holds the {@link Claims} of running batches. Tables written
 * before this layout ({@code summary/batch-*}) are still read.
 */
public final class ResultsTable {
    private static final Logger LOG = LoggerFactory.getLogger(ResultsTable.class);
    private static final String EVALUATIONS = "evaluations";
    private static final String LEGACY_SUMMARY = "summary";
    public static final String SUMMARY = "summary";
    public static final String METRICS = "metrics";
    public static final String PER_EXAMPLE = "per-example";
    private final SparkSession spark;
    private final Path root;
    private final FileSystem fs;

    public ResultsTable(SparkSession spark, String dir) {
        if (dir == null) {
            throw Errors.badConfigValue("results.dir", null, "a directory for the results table, e.g. results.dir=results");
        }
        this.spark = spark;
        try {
            Path p = new Path(dir);
            this.fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            this.root = fs.makeQualified(p);
        } catch (IOException e) {
            throw Errors.jobFailed(dir, "cannot open the results directory: " + e.getMessage(), "check the path and credentials", e);
        }
    }

    public FileSystem fileSystem() {
        return fs;
    }

    /** The directory of one evaluation (committed or not). */
    public Path evaluation(String key) {
        return new Path(new Path(root, EVALUATIONS), key);
    }

    /** True when the evaluation with this key is committed. */
    public boolean committed(String key) {
        try {
            return fs.exists(new Path(evaluation(key), SUMMARY));
        } catch (IOException e) {
            throw Errors.jobFailed(evaluation(key).toString(), "cannot check the results table: " + e.getMessage(), "check the path", e);
        }
    }

    /** The claims of batches evaluating into this table. */
    public Claims claims(long timeoutMillis, String holder) {
        return new Claims(fs, new Path(root, "claims"), timeoutMillis, holder);
    }

    /**
     * Writes one evaluation through {@code writer} into a temporary directory and moves it into
     * place. Without {@code replace}, an evaluation committed meanwhile under the same key wins
     * and this one is dropped (returns false); with it, the committed one is swapped out.
     */
    public boolean commit(String key, boolean replace, DirectoryCommit.Writer writer) {
        Path target = evaluation(key);
        Path tmp = DirectoryCommit.tempSibling(target);
        try {
            fs.mkdirs(target.getParent());
            writer.write(tmp);
            if (replace) {
                DirectoryCommit.replace(fs, tmp, target);
                return true;
            }
            if (fs.exists(target)) {
                LOG.info("{} was committed by another batch meanwhile; dropping this copy", key);
                fs.delete(tmp, true);
                return false;
            }
            if (!fs.rename(tmp, target)) {
                throw Errors.jobFailed(target.toString(), "cannot rename the finished evaluation into place",
                        "check write permission on results.dir", null);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            DirectoryCommit.deleteQuietly(fs, tmp, e);
            if (e instanceof org.vaespark.core.errors.VaeException v) {
                throw v;
            }
            throw Errors.jobFailed(target.toString(), "writing the evaluation failed (" + Errors.redact(e.toString())
                    + "); nothing was added to the results table", "check free space and permissions, then run again", e);
        }
    }

    /** Writes summary rows into an evaluation's temporary directory. */
    public void writeSummary(Path dir, List<ResultRow> rows) {
        List<Row> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.toRow()));
        spark.createDataFrame(out, ResultSchema.SCHEMA).coalesce(1).write().parquet(new Path(dir, SUMMARY).toString());
    }

    /** Writes diagnostic metrics into an evaluation's temporary directory. */
    public void writeMetrics(Path dir, List<MetricSchema.Entry> metrics) {
        List<Row> out = new ArrayList<>();
        metrics.forEach(m -> out.add(MetricSchema.toRow(m)));
        spark.createDataFrame(out, MetricSchema.SCHEMA).coalesce(1).write().parquet(new Path(dir, METRICS).toString());
    }

    /** All committed summary rows. */
    public List<ResultRow> readAll() {
        List<ResultRow> out = new ArrayList<>();
        List<String> dirs = new ArrayList<>(committedDirs(SUMMARY));
        dirs.addAll(legacyBatches());
        if (!dirs.isEmpty()) {
            for (Row r : spark.read().schema(ResultSchema.SCHEMA).parquet(dirs.toArray(new String[0])).collectAsList()) {
                out.add(ResultRow.fromRow(r));
            }
        }
        return out;
    }

    /** The summary rows of one committed evaluation. */
    public List<ResultRow> read(String key) {
        List<ResultRow> out = new ArrayList<>();
        for (Row r : spark.read().schema(ResultSchema.SCHEMA).parquet(new Path(evaluation(key), SUMMARY).toString()).collectAsList()) {
            out.add(ResultRow.fromRow(r));
        }
        return out;
    }

    /** All committed diagnostic metrics. */
    public List<MetricSchema.Entry> readMetrics() {
        List<MetricSchema.Entry> out = new ArrayList<>();
        List<String> dirs = committedDirs(METRICS);
        if (!dirs.isEmpty()) {
            for (Row r : spark.read().schema(MetricSchema.SCHEMA).parquet(dirs.toArray(new String[0])).collectAsList()) {
                out.add(MetricSchema.fromRow(r));
            }
        }
        return out;
    }

    /** The PNG pictures of committed evaluations, by path relative to {@code evaluations/}, with their bytes. */
    public java.util.SortedMap<String, byte[]> figures() {
        java.util.SortedMap<String, byte[]> out = new java.util.TreeMap<>();
        Path base = new Path(root, EVALUATIONS);
        try {
            FileStatus[] found = fs.globStatus(new Path(base, "[^.]*/[^.]*/[^.]*/figures/*.png"));
            for (FileStatus s : found == null ? new FileStatus[0] : found) {
                try (var in = fs.open(s.getPath())) {
                    out.put(base.toUri().relativize(s.getPath().toUri()).getPath(), in.readAllBytes());
                }
            }
            return out;
        } catch (IOException e) {
            throw Errors.jobFailed(base.toString(), "cannot read the evaluations' figures: " + e.getMessage(), "check the path", e);
        }
    }

    /** The {@code part} directories of every committed evaluation. */
    private List<String> committedDirs(String part) {
        List<String> dirs = new ArrayList<>();
        try {
            FileStatus[] found = fs.globStatus(new Path(root, EVALUATIONS + "/[^.]*/[^.]*/[^.]*/" + part));
            for (FileStatus s : found == null ? new FileStatus[0] : found) {
                dirs.add(s.getPath().toString());
            }
            return dirs;
        } catch (IOException e) {
            throw Errors.jobFailed(root.toString(), "cannot list the results table: " + e.getMessage(), "check the path", e);
        }
    }

    private List<String> legacyBatches() {
        List<String> batches = new ArrayList<>();
        Path summary = new Path(root, LEGACY_SUMMARY);
        try {
            if (fs.exists(summary)) {
                for (FileStatus s : fs.listStatus(summary)) {
                    if (s.isDirectory() && s.getPath().getName().startsWith("batch-")) {
                        batches.add(s.getPath().toString());
                    }
                }
            }
            return batches;
        } catch (IOException e) {
            throw Errors.jobFailed(summary.toString(), "cannot list the results table: " + e.getMessage(), "check the path", e);
        }
    }
}
