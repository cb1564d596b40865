package org.vaespark.prep.transform;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.PrepareConfig;
import org.vaespark.prep.ToolVersion;
import org.vaespark.prep.io.Checksums;
import org.vaespark.prep.source.PreparedRows;
import org.vaespark.prep.source.SourceKind;
import org.vaespark.prep.storage.CurrentPointer;

/**
 * A prepared dataset made from another one ({@code prepare.source = transform}, {@code prepare.input}
 * = a dataset root written by the prepare job) by an {@link ImageTransform} applied to every row of
 * every split, by Spark executors. Ids, splits and labels are kept. The manifest keeps the input's
 * source name and published version, records the transform, and lists the input's
 * manifest file (size and SHA-256) as its one source file: that manifest carries the
 * input's content hash, so the derived dataset names exactly the data it came from.
 */
public final class DerivedDataset {
    /** Pixel encoding of 0/1 pixels. */
    public static final String BINARY = SourceKind.BINARIZED_MNIST.pixelEncoding();

    private DerivedDataset() {
    }

    /** The transformed rows of the dataset at {@code in} and their manifest (content hash added when written). */
    public static PreparedRows read(SparkSession spark, FileSystem fs, Path in, ImageTransform t) {
        Manifest src = DatasetReader.manifest(spark, in.toString());
        int h = src.height();
        int w = src.width();
        int c = src.channels();
        t.checkApplies(h, w, c, src.binarized(), Errors.redact(in.toString()));
        int outH = t.height(h);
        int outW = t.width(w);
        int outC = t.channels(c);
        JavaRDD<Row> rows = DatasetReader.read(spark, in.toString()).javaRDD().map(r -> {
            int label = r.fieldIndex(ImageSchema.LABEL);
            long id = r.getLong(r.fieldIndex(ImageSchema.ID));
            byte[] px = t.apply(id, (byte[]) r.get(r.fieldIndex(ImageSchema.PIXELS)), h, w, c);
            return RowFactory.create(id, r.getString(r.fieldIndex(ImageSchema.SPLIT)), r.isNullAt(label) ? null : r.getInt(label),
                    outH, outW, outC, px);
        });
        String encoding = t.binarize() ? BINARY : outC == 1 ? PreparedRows.GREY : outC == 3 ? PreparedRows.RGB : src.pixelEncoding();
        String transform = src.transform() == null ? t.name() : src.transform() + "-" + t.name();
        Manifest m = new Manifest(Manifest.FORMAT_VERSION, src.source(), outH, outW, outC, encoding,
                t.binarize() || src.binarized(), src.counts(), List.of(inputManifest(fs, in)), ToolVersion.get(),
                Instant.now().toString(), src.datasetVersion(), null, transform);
        return new PreparedRows(spark.createDataFrame(rows, ImageSchema.SCHEMA), m);
    }

    private static Manifest.SourceFile inputManifest(FileSystem fs, Path in) {
        Path file = Manifest.file(fs, CurrentPointer.resolve(fs, in));
        try (InputStream stream = fs.open(file)) {
            String sha = Checksums.sha256(stream, file.toString());
            return new Manifest.SourceFile(file.getName(), fs.getFileStatus(file).getLen(), sha);
        } catch (IOException e) {
            throw Errors.jobFailed(Errors.redact(file.toString()), "cannot read the input dataset's manifest (" + Errors.redact(e.toString()) + ")",
                    "check " + PrepareConfig.INPUT + " and the storage credentials", e);
        }
    }
}
