package org.vaespark.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.source.SourceData;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.SparkTestSession;
import org.vaespark.prep.testing.TestFiles;
import org.vaespark.prep.testing.TinyDatasets;

/** A failed or refused prepare never changes the output path and leaves no temporary directory. */
class AtomicWriteTest {
    @TempDir
    Path dir;

    private SparkSession spark;
    private Path output;
    private Map<String, String> before;

    @BeforeEach
    void existingDataset() {
        spark = SparkTestSession.get();
        output = dir.resolve("datasets/mnist");
        mkdirs(output.resolve("split=train"));
        TestFiles.write(output, "_manifest.json", ManifestTest.sample().toJson().getBytes(StandardCharsets.UTF_8));
        TestFiles.write(output.resolve("split=train"), "part-00000.parquet", new byte[] {1, 2, 3});
        before = TestFiles.snapshot(output);
    }

    private void assertOutputUntouched() {
        assertEquals(before, TestFiles.snapshot(output));
        assertEquals(List.of("mnist"), TestFiles.list(output.getParent()), "no .tmp- or .old- directory left behind");
    }

    private static void assertMentions(VaeException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message lacks '" + part + "': " + e.getMessage());
        }
    }

    @Test
    void existingOutputWithoutOverwriteIsRefused() {
        VaeException e = assertThrows(VaeException.class, () -> Prepare.run(spark, Settings.defaults(
                "prepare.source=mnist", "prepare.input=" + SharedData.dir().resolve("mnist"), "prepare.output=" + output)));
        assertMentions(e, output.toString(), "already exists", "prepare.overwrite=true", "prepare.output");
        assertOutputUntouched();
    }

    @Test
    void readerFailingMidwayLeavesTheOldDatasetByteIdentical() {
        Path input = mkdirs(dir.resolve("raw"));
        TestFiles.copy(SharedData.file("binarized_mnist/binarized_mnist_train.amat.gz"), input);
        TestFiles.copy(SharedData.file("binarized_mnist/binarized_mnist_valid.amat.gz"), input);
        String valid = new String(TestFiles.gunzipBytes(SharedData.file("binarized_mnist/binarized_mnist_valid.amat.gz")),
                StandardCharsets.US_ASCII);
        List<String> lines = new ArrayList<>(List.of(valid.split("\n")).subList(0, 20));
        lines.set(11, lines.get(11).replaceFirst("0", "x"));
        TestFiles.write(input, "binarized_mnist_test.amat", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII));

        VaeException e = assertThrows(VaeException.class, () -> Prepare.run(spark, Settings.defaults(
                "prepare.source=binarized-mnist", "prepare.input=" + input, "prepare.output=" + output,
                "prepare.overwrite=true")));
        assertMentions(e, "binarized_mnist_test.amat", "line 12", "'x'");
        assertOutputUntouched();
    }

    @Test
    void failureAfterTheSparkWriteDeletesTheTemporaryCopy() {
        AtomicBoolean sawTemporary = new AtomicBoolean();
        SourceData data = TinyDatasets.mnistShaped(11, 25);
        VaeException e = assertThrows(VaeException.class, () -> DatasetWriter.write(spark, output.toString(),
                data.splits(), Manifest.of(data, java.time.Instant.now()), true, () -> {
                    List<String> siblings = TestFiles.list(output.getParent());
                    sawTemporary.set(siblings.stream().anyMatch(n -> n.startsWith(".mnist.tmp-")));
                    throw new IllegalStateException("injected failure before commit");
                }));
        assertTrue(sawTemporary.get(), "the data were written to a temporary sibling first");
        assertMentions(e, "injected failure before commit", "left unchanged");
        assertOutputUntouched();
    }

    @Test
    void overwriteReplacesTheOldDatasetCompletely() {
        SourceData data = TinyDatasets.mnistShaped(11, 25);
        DatasetWriter.write(spark, output.toString(), data.splits(), Manifest.of(data, java.time.Instant.now()), true);
        assertEquals(List.of("mnist"), TestFiles.list(output.getParent()));
        assertFalse(Files.exists(output.resolve("split=train/part-00000.parquet")), "old files are gone");
        assertEquals(data.counts(), DatasetReader.manifest(spark, output.toString()).counts());
        List<ImageRecord> back = new ArrayList<>();
        DatasetReader.read(spark, output.toString(), "test").collectAsList()
                .forEach(r -> back.add(ImageSchema.fromRow(r)));
        back.sort(java.util.Comparator.comparingLong(ImageRecord::id));
        assertEquals(data.splits().get("test"), back);
    }

    @Test
    void aDirectoryThatIsNotADatasetIsNotReplacedEvenWithOverwrite() throws Exception {
        Files.delete(output.resolve("_manifest.json"));
        before = TestFiles.snapshot(output);
        SourceData data = TinyDatasets.mnistShaped(11, 25);
        VaeException e = assertThrows(VaeException.class, () -> DatasetWriter.write(spark, output.toString(),
                data.splits(), Manifest.of(data, java.time.Instant.now()), true));
        assertMentions(e, output.toString(), "not a dataset", "_manifest.json");
        assertOutputUntouched();
    }

    @Test
    void outputMayNotBeTheInputOrContainIt() {
        VaeException e = assertThrows(VaeException.class, () -> Prepare.run(spark, Settings.defaults(
                "prepare.source=mnist", "prepare.input=" + output.resolve("raw"), "prepare.output=" + output,
                "prepare.overwrite=true")));
        assertMentions(e, "prepare.output", "prepare.input");
        assertOutputUntouched();
    }

    private static Path mkdirs(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
