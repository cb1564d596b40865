package org.vaespark.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.io.AmatReader;
import org.vaespark.prep.io.IdxReader;
import org.vaespark.prep.testing.ReferenceFiles;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.SparkTestSession;
import org.vaespark.prep.testing.TestFiles;

/** Prepares both real datasets with a local[2] session and reads them back through {@link DatasetReader}. */
class PrepareRoundTripTest {
    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static String mnistRoot;
    private static String binRoot;
    private static Manifest mnist;
    private static Manifest bin;

    @BeforeAll
    static void prepareBoth() {
        spark = SparkTestSession.get();
        mnistRoot = dir.resolve("out/mnist").toString();
        binRoot = dir.resolve("out/binarized").toString();
        mnist = Prepare.run(spark, Settings.defaults("prepare.source=mnist",
                "prepare.input=" + SharedData.dir().resolve("mnist"), "prepare.output=" + mnistRoot,
                "prepare.validation-size=10000"));
        bin = Prepare.run(spark, Settings.defaults("prepare.source=binarized-mnist",
                "prepare.input=" + SharedData.dir().resolve("binarized_mnist"), "prepare.output=" + binRoot));
    }

    @Test
    void mnistManifestDescribesTheDataAndTheOfficialFiles() {
        assertEquals(mnist, DatasetReader.manifest(spark, mnistRoot), "manifest.json as written");
        assertEquals("mnist", mnist.source());
        assertEquals(List.of(28, 28, 1), List.of(mnist.height(), mnist.width(), mnist.channels()));
        assertEquals("uint8-grey-0-255", mnist.pixelEncoding());
        assertFalse(mnist.binarized());
        assertEquals(Map.of("train", 50000L, "valid", 10000L, "test", 10000L), mnist.counts());
        assertEquals(ReferenceFiles.MNIST_GZ, mnist.sourceFiles());
        assertEquals(ToolVersion.get(), mnist.toolVersion());
        assertTrue(Instant.parse(mnist.createdAt()).isAfter(Instant.now().minusSeconds(3600)));
    }

    @Test
    void binarizedManifest() {
        assertEquals(bin, DatasetReader.manifest(spark, binRoot));
        assertEquals("binarized-mnist", bin.source());
        assertEquals("binary-0-1", bin.pixelEncoding());
        assertTrue(bin.binarized());
        assertTrue(bin.contentSha256().matches("[0-9a-f]{64}"), bin.contentSha256());
        assertEquals(bin.contentSha256(), org.vaespark.prep.validate.ContentHash.of(DatasetReader.read(spark, binRoot)),
                "the manifest's content hash is the hash of the rows as read back");
        assertTrue(!bin.contentSha256().equals(DatasetReader.manifest(spark, mnistRoot).contentSha256()));
        assertEquals(784, bin.dimension());
        assertEquals(Map.of("train", 50000L, "valid", 10000L, "test", 10000L), bin.counts());
        assertEquals(ReferenceFiles.BINARIZED_GZ, bin.sourceFiles());
    }

    @Test
    void readBackHasTheSchemaTypesAndCountsPerSplit() {
        Dataset<Row> df = DatasetReader.read(spark, mnistRoot);
        StructField[] fields = df.schema().fields();
        assertEquals(ImageSchema.COLUMNS, List.of(df.schema().fieldNames()));
        for (int i = 0; i < fields.length; i++) {
            assertEquals(ImageSchema.SCHEMA.fields()[i].dataType(), fields[i].dataType(), fields[i].name());
        }
        assertEquals(Map.of("train", 50000L, "valid", 10000L, "test", 10000L), countsPerSplit(df));
        assertEquals(Map.of("train", 50000L, "valid", 10000L, "test", 10000L),
                countsPerSplit(DatasetReader.read(spark, binRoot)));
        assertEquals(10000L, DatasetReader.read(spark, binRoot, "valid").count());
        assertEquals(0L, DatasetReader.read(spark, binRoot).filter(col(ImageSchema.LABEL).isNotNull()).count());
    }

    @Test
    void idsAreUniqueAndDenseInEverySplit() {
        List<Row> stats = DatasetReader.read(spark, mnistRoot).groupBy(ImageSchema.SPLIT)
                .agg(org.apache.spark.sql.functions.min(ImageSchema.ID), org.apache.spark.sql.functions.max(ImageSchema.ID),
                        org.apache.spark.sql.functions.countDistinct(ImageSchema.ID))
                .collectAsList();
        for (Row r : stats) {
            long n = mnist.count(r.getString(0));
            assertEquals(List.of(0L, n - 1, n), List.of(r.getLong(1), r.getLong(2), r.getLong(3)), r.getString(0));
        }
    }

    @Test
    void testLabelHistogramMatchesMnist() {
        long[] hist = new long[10];
        for (Row r : DatasetReader.read(spark, mnistRoot, "test").groupBy(ImageSchema.LABEL).count().collectAsList()) {
            hist[r.getInt(0)] = r.getLong(1);
        }
        assertArrayEquals(new long[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, hist);
    }

    @Test
    void sampledMnistRowsEqualTheReaderRecords() {
        Path raw = SharedData.dir().resolve("mnist");
        List<ImageRecord> train = IdxReader.read(raw.resolve("train-images-idx3-ubyte.gz"),
                raw.resolve("train-labels-idx1-ubyte.gz"), "train");
        List<ImageRecord> test = IdxReader.read(raw.resolve("t10k-images-idx3-ubyte.gz"),
                raw.resolve("t10k-labels-idx1-ubyte.gz"), "test");
        long[] ids = {0, 1, 777, 4242, 9999};
        Map<String, ImageRecord> stored = sample(mnistRoot, ids);
        for (long id : ids) {
            assertEquals(train.get((int) id), stored.get("train/" + id));
            assertEquals(test.get((int) id), stored.get("test/" + id));
            ImageRecord t = train.get(50000 + (int) id);
            assertEquals(new ImageRecord(id, "valid", t.label(), 28, 28, 1, t.pixels()), stored.get("valid/" + id));
        }
        assertEquals(train.get(49999), sample(mnistRoot, new long[] {49999}).get("train/49999"));
    }

    @Test
    void sampledBinarizedRowsEqualTheReaderRecords() {
        Path raw = SharedData.dir().resolve("binarized_mnist");
        long[] ids = {0, 5, 3141, 9999};
        Map<String, ImageRecord> stored = sample(binRoot, ids);
        for (String split : List.of("valid", "test")) {
            List<ImageRecord> expected = AmatReader.read(raw.resolve("binarized_mnist_" + split + ".amat.gz"), split);
            for (long id : ids) {
                assertEquals(expected.get((int) id), stored.get(split + "/" + id), split + "/" + id);
            }
        }
        assertEquals(1L, DatasetReader.read(spark, binRoot, "train").filter(col(ImageSchema.ID).equalTo(49999)).count());
    }

    @Test
    void layoutIsPartitionedBySplitWithTheManifestAtTheRootAndNoLeftovers() {
        List<String> top = TestFiles.list(dir.resolve("out/mnist"));
        assertTrue(top.containsAll(List.of("_manifest.json", "split=train", "split=valid", "split=test")), top.toString());
        assertTrue(TestFiles.list(dir.resolve("out/mnist/split=train")).stream()
                .filter(n -> n.endsWith(".parquet")).count() >= 2, "a few files per split");
        assertEquals(List.of("binarized", "mnist"), TestFiles.list(dir.resolve("out")), "no .tmp- or .old- siblings");
    }

    @Test
    void missingSplitAndMissingDatasetAreClearErrors() {
        VaeException split = assertThrows(VaeException.class, () -> DatasetReader.read(spark, binRoot, "extra"));
        assertTrue(split.getMessage().contains("extra") && split.getMessage().contains("[train, valid, test]"),
                split.getMessage());
        VaeException none = assertThrows(VaeException.class, () -> DatasetReader.read(spark, dir.toString()));
        assertTrue(none.getMessage().contains("_manifest.json"), none.getMessage());
    }

    private static Map<String, Long> countsPerSplit(Dataset<Row> df) {
        Map<String, Long> counts = new HashMap<>();
        for (Row r : df.groupBy(ImageSchema.SPLIT).count().collectAsList()) {
            counts.put(r.getString(0), r.getLong(1));
        }
        return counts;
    }

    private static Map<String, ImageRecord> sample(String root, long[] ids) {
        Object[] boxed = java.util.Arrays.stream(ids).boxed().toArray();
        Map<String, ImageRecord> out = new HashMap<>();
        for (Row r : DatasetReader.read(spark, root).filter(col(ImageSchema.ID).isin(boxed)).collectAsList()) {
            ImageRecord rec = ImageSchema.fromRow(r);
            out.put(rec.split() + "/" + rec.id(), rec);
        }
        return out;
    }
}
