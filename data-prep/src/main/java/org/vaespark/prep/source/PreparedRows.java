package org.vaespark.prep.source;

import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.ToolVersion;

/**
 * A dataset read in parallel, ready for {@code DatasetWriter.write}: the rows (computed lazily by
 * Spark when written) and the manifest describing them.
 */
public record PreparedRows(Dataset<Row> rows, Manifest manifest) {
    /** Pixel encoding of 8-bit RGB sources (CIFAR-10, ImageNet 64x64). */
    public static final String RGB = "uint8-rgb-0-255";
    /** Pixel encoding of 8-bit grey-level images. */
    public static final String GREY = "uint8-grey-0-255";

    static PreparedRows of(ParallelRead.Result r, String source, String datasetVersion) {
        String encoding = r.channels() == 3 ? RGB : GREY;
        Manifest m = new Manifest(Manifest.FORMAT_VERSION, source, r.height(), r.width(), r.channels(), encoding, false,
                r.counts(), r.files(), ToolVersion.get(), Instant.now().toString(), null, null, null);
        return new PreparedRows(r.rows(), datasetVersion == null ? m : m.withDatasetVersion(datasetVersion));
    }
}
