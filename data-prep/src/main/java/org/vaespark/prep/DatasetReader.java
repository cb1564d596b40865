package org.vaespark.prep;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.storage.CurrentPointer;

/**
 * Reads a dataset written by {@link DatasetWriter}: checks its {@code _manifest.json}, then loads the
 * Parquet files of the requested splits with the {@link ImageSchema} column types and order
 * (the {@code split} column comes back from the {@code split=<name>/} directories).
 *
 * <p>A plain {@code spark.read().parquet(dir)} of the dataset's directory works too (the manifest's
 * leading underscore hides it from file listings); this reader in addition applies the schema instead
 * of inferring it, checks the manifest and fails clearly when the path is not a prepared dataset. On object stores the dataset lives in the version directory named
 * by {@code <root>/_CURRENT} ({@link org.vaespark.prep.storage.CurrentPointer}); it is followed here,
 * so uncommitted or superseded versions next to it are never read.
 */
public final class DatasetReader {
    private DatasetReader() {
    }

    /** The manifest of the dataset at {@code root}; fails if the path is not a prepared dataset. */
    public static Manifest manifest(SparkSession spark, String root) {
        FileSystem fs = DatasetWriter.fileSystem(spark, root);
        return Manifest.read(fs, CurrentPointer.resolve(fs, fs.makeQualified(new Path(root))));
    }

    /** All splits of the dataset, in {@link ImageSchema#COLUMNS} order. */
    public static Dataset<Row> read(SparkSession spark, String root) {
        Manifest m = manifest(spark, root);
        return load(spark, root, m, new ArrayList<>(m.counts().keySet()));
    }

    /** The given splits only (e.g. {@code "train"}); fails naming the available splits if one is absent. */
    public static Dataset<Row> read(SparkSession spark, String root, String... splits) {
        Manifest m = manifest(spark, root);
        for (String split : splits) {
            if (!m.counts().containsKey(split)) {
                throw Errors.missingInput(new Path(root, ImageSchema.SPLIT + "=" + split).toString(),
                        "split '" + split + "' of the dataset, which has only " + m.counts().keySet()
                                + " (re-run the prepare job with prepare.validation-size > 0 to get a valid split of MNIST)");
            }
        }
        return load(spark, root, m, List.of(splits));
    }

    /** All splits of the dataset at {@code root} as described by {@code m} (which need not be written yet). */
    static Dataset<Row> load(SparkSession spark, String root, Manifest m) {
        return load(spark, root, m, new ArrayList<>(m.counts().keySet()));
    }

    private static Dataset<Row> load(SparkSession spark, String root, Manifest m, List<String> splits) {
        FileSystem fs = DatasetWriter.fileSystem(spark, root);
        Path base = CurrentPointer.resolve(fs, fs.makeQualified(new Path(root)));
        String[] paths = new String[splits.size()];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = new Path(base, ImageSchema.SPLIT + "=" + splits.get(i)).toString();
        }
        Column[] columns = new Column[ImageSchema.COLUMNS.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = functions.col(ImageSchema.COLUMNS.get(i));
        }
        return spark.read()
                .schema(ImageSchema.SCHEMA)
                .option("basePath", base.toString())
                .parquet(paths)
                .select(columns);
    }
}
