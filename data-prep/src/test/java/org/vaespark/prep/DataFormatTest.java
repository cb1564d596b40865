package org.vaespark.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.SparkTestSession;
import org.vaespark.prep.testing.TestFiles;

/**
 * The prepared layout as docs/data-format.md shows it: the directory holding the dataset opens with a
 * plain {@code spark.read().parquet(dir)}, {@code split} comes back as a column, and a dataset written
 * under the legacy manifest name still loads with the same content hash.
 */
class DataFormatTest {
    /** Real rows of the static binarized MNIST files, kept few so the test is quick. */
    private static final Map<String, Integer> ROWS = Map.of("train", 30, "valid", 20, "test", 25);

    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static Path root;
    private static Manifest manifest;

    @BeforeAll
    static void prepareAFewRealRows() throws Exception {
        spark = SparkTestSession.get();
        Path raw = dir.resolve("raw");
        Files.createDirectories(raw);
        for (Map.Entry<String, Integer> e : ROWS.entrySet()) {
            String name = "binarized_mnist_" + e.getKey() + ".amat";
            try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                    Files.newInputStream(SharedData.file("binarized_mnist/" + name + ".gz"))), StandardCharsets.US_ASCII));
                 OutputStream out = Files.newOutputStream(raw.resolve(name))) {
                for (int i = 0; i < e.getValue(); i++) {
                    out.write((in.readLine() + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        root = dir.resolve("out/binarized");
        manifest = Prepare.run(spark, Settings.defaults("prepare.source=binarized-mnist", "prepare.input=" + raw,
                "prepare.output=" + root));
    }

    @Test
    void aPlainParquetReadOfTheDirectoryGivesEveryRowWithSplitAsAColumn() {
        List<String> top = TestFiles.list(root);
        assertTrue(top.contains(Manifest.FILE_NAME) && !top.contains(Manifest.LEGACY_FILE_NAME), top.toString());
        Dataset<Row> df = spark.read().parquet(root.toString());
        assertTrue(Arrays.asList(df.columns()).containsAll(ImageSchema.COLUMNS), Arrays.toString(df.columns()));
        Map<String, Long> counts = new TreeMap<>();
        for (Row r : df.groupBy(ImageSchema.SPLIT).count().collectAsList()) {
            counts.put(r.getString(0), r.getLong(1));
        }
        assertEquals(Map.of("train", 30L, "valid", 20L, "test", 25L), counts);
        assertEquals(75, df.count());
        assertEquals(manifest.counts(), Map.of("train", 30L, "valid", 20L, "test", 25L));
        assertEquals(784, ((byte[]) df.filter("split = 'test' and id = 0").first().getAs(ImageSchema.PIXELS)).length);
    }

    @Test
    void aDatasetWithTheLegacyManifestNameStillLoadsWithTheSameContentHash() throws Exception {
        Path legacy = dir.resolve("out/legacy");
        Prepare.run(spark, Settings.defaults("prepare.source=binarized-mnist", "prepare.input=" + dir.resolve("raw"),
                "prepare.output=" + legacy));
        Files.move(legacy.resolve(Manifest.FILE_NAME), legacy.resolve(Manifest.LEGACY_FILE_NAME));
        assertThrows(Exception.class, () -> spark.read().parquet(legacy.toString()).count(),
                "why the name changed: a plain read trips over the legacy manifest");
        Manifest read = DatasetReader.manifest(spark, legacy.toString());
        assertEquals(manifest.contentSha256(), read.contentSha256(), "the content hash does not depend on the file name");
        assertEquals(75, DatasetReader.read(spark, legacy.toString()).count());
        assertTrue(org.vaespark.prep.validate.DatasetValidator.validate(spark, legacy.toString(), null).ok(),
                "the legacy dataset validates");
        assertFalse(Files.exists(legacy.resolve(Manifest.FILE_NAME)), "loading does not write to the dataset");
    }
}
