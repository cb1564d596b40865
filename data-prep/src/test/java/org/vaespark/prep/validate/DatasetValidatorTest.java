package org.vaespark.prep.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.DatasetWriter;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.io.Checksums;
import org.vaespark.prep.source.SourceData;
import org.vaespark.prep.source.SourceKind;
import org.vaespark.prep.testing.SparkTestSession;

/** The validate command on a tiny binary dataset, intact and damaged in each way it must report. */
class DatasetValidatorTest {
    @TempDir
    Path dir;
    private final SparkSession spark = SparkTestSession.get();
    private String root;
    private Path raw;

    @BeforeEach
    void writeTinyDataset() throws IOException {
        Map<String, List<ImageRecord>> splits = new LinkedHashMap<>();
        splits.put("train", records("train", 12));
        splits.put("test", records("test", 5));
        raw = dir.resolve("raw.bin");
        Files.write(raw, new byte[]{1, 2, 3});
        String sha;
        try (var in = Files.newInputStream(raw)) {
            sha = Checksums.sha256(in, raw.toString());
        }
        SourceData data = new SourceData(SourceKind.BINARIZED_MNIST, 2, 2, 1, splits, List.of(new Manifest.SourceFile("raw.bin", 3, sha)));
        root = dir.resolve("ds").toString();
        DatasetWriter.write(spark, root, splits, Manifest.of(data, Instant.now()), false);
    }

    @Test
    void anIntactDatasetValidates() {
        DatasetValidator.Report r = DatasetValidator.validate(spark, root, dir.toString());
        assertTrue(r.ok(), r.problems().toString());
        assertEquals(Map.of("test", 5L, "train", 12L), r.rowsPerSplit());
    }

    @Test
    void aChangedPixelIsReportedWithSplitIdAndValueAndTheHashDiffers() {
        rewriteTest(rows -> {
            Row r = rows.get(3);
            rows.set(3, RowFactory.create(r.getLong(0), r.get(1), r.getInt(2), r.getInt(3), r.getInt(4), new byte[]{0, 7, 1, 0}));
        });
        List<String> p = DatasetValidator.validate(spark, root, null).problems();
        assertTrue(p.stream().anyMatch(s -> s.contains("split test, id 3: pixel 1 is 7")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("content hash differs")), p.toString());
    }

    @Test
    void aMissingRowAndADuplicateIdAreReported() {
        rewriteTest(rows -> rows.set(4, RowFactory.create(2L, rows.get(4).get(1), 2, 2, 1, rows.get(4).get(5))));
        List<String> dup = DatasetValidator.validate(spark, root, null).problems();
        assertTrue(dup.stream().anyMatch(s -> s.contains("split test: ids are not exactly 0..4")), dup.toString());
        rewriteTest(rows -> rows.remove(4));
        List<String> missing = DatasetValidator.validate(spark, root, null).problems();
        assertTrue(missing.contains("split test: 4 rows, manifest says 5"), missing.toString());
    }

    @Test
    void aChangedSourceFileIsReported() throws IOException {
        Files.write(raw, new byte[]{1, 2, 4});
        List<String> p = DatasetValidator.validate(spark, root, dir.toString()).problems();
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("source file raw.bin: 3 bytes, sha256 "), p.toString());
    }

    private void rewriteTest(java.util.function.Consumer<List<Row>> edit) {
        Dataset<Row> test = DatasetReader.read(spark, root, "test");
        List<Row> rows = new ArrayList<>();
        for (Row r : test.drop(ImageSchema.SPLIT).collectAsList()) {
            rows.add(r);
        }
        rows.sort(java.util.Comparator.comparingLong(r -> r.getLong(0)));
        edit.accept(rows);
        Path split = dir.resolve("ds/split=test");
        spark.createDataFrame(rows, dropSplit()).write().mode(SaveMode.Overwrite).parquet(split.toString() + "-new");
        try {
            org.apache.commons.io.FileUtils.deleteDirectory(split.toFile());
            Files.move(dir.resolve("ds/split=test-new"), split);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static org.apache.spark.sql.types.StructType dropSplit() {
        org.apache.spark.sql.types.StructType t = new org.apache.spark.sql.types.StructType();
        for (org.apache.spark.sql.types.StructField f : ImageSchema.SCHEMA.fields()) {
            if (!f.name().equals(ImageSchema.SPLIT)) {
                t = t.add(f);
            }
        }
        return t;
    }

    private static List<ImageRecord> records(String split, int n) {
        List<ImageRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ImageRecord(i, split, null, 2, 2, 1, new byte[]{(byte) (i % 2), 1, 0, (byte) ((i / 2) % 2)}));
        }
        return out;
    }
}
