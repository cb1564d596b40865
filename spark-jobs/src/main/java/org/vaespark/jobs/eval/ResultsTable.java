package org.vaespark.jobs.eval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.errors.Errors;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.jobs.leaderboard.ResultSchema;
import org.vaespark.prep.io.DirectoryCommit;

/**
 * The results table under {@code results.dir}: {@code summary/batch-*} (one Parquet directory
 * per evaluation, rows of {@link ResultSchema}) and {@code per-example/<run>/<checkpoint>/<split>-k<k>}.
 * Every directory is written under a hidden temporary name and renamed into place when
 * complete, so a crashed evaluation leaves no partial rows; readers list only committed ones.
 */
public final class ResultsTable {
    private static final String SUMMARY = "summary";
    private static final String PER_EXAMPLE = "per-example";
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

    /** Appends summary rows as one new committed batch. */
    public void append(List<ResultRow> rows) {
        List<Row> spark = new ArrayList<>();
        rows.forEach(r -> spark.add(r.toRow()));
        commit(this.spark.createDataFrame(spark, ResultSchema.SCHEMA).coalesce(1), new Path(new Path(root, SUMMARY), "batch-" + UUID.randomUUID()));
    }

    /** Writes the per-example table of one evaluation, replacing an earlier one of the same key. */
    public String writePerExample(Dataset<Row> perExample, String run, String checkpoint, String split, int k) {
        Path target = new Path(root, PER_EXAMPLE + "/" + run + "/" + checkpoint + "/" + split + "-k" + k);
        commit(perExample, target);
        return target.toString();
    }

    /** All committed summary rows. */
    public List<ResultRow> readAll() {
        List<ResultRow> out = new ArrayList<>();
        Path summary = new Path(root, SUMMARY);
        try {
            if (!fs.exists(summary)) {
                return out;
            }
            List<String> batches = new ArrayList<>();
            for (FileStatus s : fs.listStatus(summary)) {
                String name = s.getPath().getName();
                if (s.isDirectory() && name.startsWith("batch-")) {
                    batches.add(s.getPath().toString());
                }
            }
            if (batches.isEmpty()) {
                return out;
            }
            for (Row r : spark.read().schema(ResultSchema.SCHEMA).parquet(batches.toArray(new String[0])).collectAsList()) {
                out.add(ResultRow.fromRow(r));
            }
            return out;
        } catch (IOException e) {
            throw Errors.jobFailed(summary.toString(), "cannot list the results table: " + e.getMessage(), "check the path", e);
        }
    }

    private void commit(Dataset<Row> df, Path target) {
        DirectoryCommit.write(fs, target, tmp -> df.write().mode(SaveMode.ErrorIfExists).parquet(tmp.toString()));
    }
}
