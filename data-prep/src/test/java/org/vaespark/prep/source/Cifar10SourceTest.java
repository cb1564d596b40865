package org.vaespark.prep.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vaespark.prep.source.SourceFixtures.RECORD;
import static org.vaespark.prep.source.SourceFixtures.cifarRecords;
import static org.vaespark.prep.source.SourceFixtures.prepare;
import static org.vaespark.prep.source.SourceFixtures.rows;
import static org.vaespark.prep.source.SourceFixtures.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.SparkTestSession;

/** CIFAR-10 binary version (Krizhevsky 2009) on the real records of ../shared/data/cifar10. */
class Cifar10SourceTest {
    private static final String BINARY = "prepare.source=cifar10-binary";

    @Test
    void realTestFileGivesTenThousandRowsThousandPerClassInHwc(@TempDir Path tmp) throws Exception {
        Path in = SharedData.dir().resolve("cifar10");
        Manifest m = prepare(in, tmp.resolve("out"), BINARY, "prepare.cifar10.train-files=[]",
                "prepare.cifar10.test-files=[test_class_sorted]");
        assertEquals(Map.of("test", 10000L), m.counts());
        assertEquals("cifar10", m.source());
        assertEquals(List.of(32, 32, 3), List.of(m.height(), m.width(), m.channels()));
        assertEquals("uint8-rgb-0-255", m.pixelEncoding());
        assertNull(m.datasetVersion());
        assertEquals(new Manifest.SourceFile("test_class_sorted.bin", 10000L * RECORD,
                "de0f2080005e1e76bfd2f90f072c2c452ee35cae4cce48937f8b432c60cf416b"), m.sourceFiles().get(0));
        List<org.apache.spark.sql.Row> hist = DatasetReader.read(SparkTestSession.get(), tmp.resolve("out").toString())
                .groupBy("label").count().orderBy("label").collectAsList();
        assertEquals(10, hist.size());
        for (int c = 0; c < 10; c++) {
            assertEquals(c, hist.get(c).getInt(0));
            assertEquals(1000L, hist.get(c).getLong(1));
        }
        byte[] raw = Files.readAllBytes(in.resolve("test_class_sorted.bin"));
        List<ImageRecord> rows = rows(tmp.resolve("out"));
        for (int id : new int[] {0, 4321, 9999}) {
            ImageRecord r = rows.get(id);
            assertEquals(id, r.id());
            assertEquals(raw[id * RECORD] & 0xFF, r.label());
            for (int[] rc : new int[][] {{0, 0}, {5, 17}, {31, 31}}) {
                for (int ch = 0; ch < 3; ch++) {
                    int planar = raw[id * RECORD + 1 + ch * 1024 + rc[0] * 32 + rc[1]] & 0xFF;
                    assertEquals(planar, r.pixel(rc[0], rc[1], ch), "record " + id + " pixel " + Arrays.toString(rc));
                }
            }
        }
    }

    @Test
    void tarballAndExtractedFolderGiveTheSameRowsAndPreparingTwiceTheSameHash(@TempDir Path tmp) {
        byte[] train = cifarRecords("train_subset_10k_class_sorted.bin", 300);
        byte[] test = cifarRecords("test_class_sorted.bin", 200);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/batches.meta.txt", "airplane\n".getBytes());
        entries.put("cifar-10-batches-bin/test_batch.bin", test);
        entries.put("cifar-10-batches-bin/data_batch_1.bin", train);
        Files.exists(tmp);
        Path tarDir = tmp.resolve("tar");
        write(tarDir.resolve("README"), new byte[0]);
        SourceFixtures.tarGz(tarDir.resolve(Cifar10Source.BINARY_TARBALL), entries);
        Path dir = tmp.resolve("dir");
        write(dir.resolve("cifar-10-batches-bin/data_batch_1.bin"), train);
        write(dir.resolve("cifar-10-batches-bin/test_batch.bin"), test);

        String[] one = {BINARY, "prepare.cifar10.train-files=[data_batch_1]"};
        Manifest fromTar = prepare(tarDir, tmp.resolve("a"), one);
        Manifest fromDir = prepare(dir, tmp.resolve("b"), one);
        Manifest again = prepare(dir, tmp.resolve("c"), one);
        assertEquals(Map.of("train", 300L, "test", 200L), fromTar.counts());
        assertEquals(Cifar10Source.BINARY_TARBALL, fromTar.sourceFiles().get(0).name());
        assertEquals(List.of("data_batch_1.bin", "test_batch.bin"),
                fromDir.sourceFiles().stream().map(Manifest.SourceFile::name).toList());
        assertEquals(rows(tmp.resolve("a")), rows(tmp.resolve("b")));
        assertEquals(fromTar.contentSha256(), fromDir.contentSha256());
        assertEquals(fromDir.contentSha256(), again.contentSha256());
    }

    @Test
    void fileLengthNotAMultipleOfTheRecordSizeNamesFileSizeAndRecord(@TempDir Path tmp) {
        byte[] three = cifarRecords("test_class_sorted.bin", 3);
        write(tmp.resolve("in/test_batch.bin"), Arrays.copyOf(three, 2 * RECORD + 100));
        String msg = fails(tmp, "prepare.cifar10.train-files=[]");
        assertTrue(msg.contains("test_batch.bin") && msg.contains(String.valueOf(2 * RECORD + 100))
                && msg.contains("3073") && msg.contains("record 2"), msg);
    }

    @Test
    void labelAboveNineNamesFileAndRecord(@TempDir Path tmp) {
        byte[] three = cifarRecords("test_class_sorted.bin", 3);
        three[RECORD] = 10;
        write(tmp.resolve("in/test_batch.bin"), three);
        String msg = fails(tmp, "prepare.cifar10.train-files=[]");
        assertTrue(msg.contains("test_batch.bin") && msg.contains("record 1") && msg.contains("label 10"), msg);
    }

    @Test
    void missingFilesAreNamed(@TempDir Path tmp) {
        write(tmp.resolve("in/test_batch.bin"), cifarRecords("test_class_sorted.bin", 2));
        String msg = fails(tmp);
        assertTrue(msg.contains("data_batch_1.bin") && msg.contains(Cifar10Source.BINARY_TARBALL), msg);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/test_batch.bin", cifarRecords("test_class_sorted.bin", 2));
        SourceFixtures.tarGz(tmp.resolve("tar").resolve(Cifar10Source.BINARY_TARBALL), entriesIn(tmp, entries));
        VaeException e = assertThrows(VaeException.class, () -> prepare(tmp.resolve("tar"), tmp.resolve("out2"), BINARY));
        assertTrue(e.getMessage().contains("data_batch_1.bin") && e.getMessage().contains("tarball"), e.getMessage());
    }

    private static Map<String, byte[]> entriesIn(Path tmp, Map<String, byte[]> entries) {
        write(tmp.resolve("tar/README"), new byte[0]);
        return entries;
    }

    private static String fails(Path tmp, String... overrides) {
        String[] all = Arrays.copyOf(overrides, overrides.length + 1);
        all[overrides.length] = BINARY;
        VaeException e = assertThrows(VaeException.class, () -> prepare(tmp.resolve("in"), tmp.resolve("out"), all));
        assertTrue(!Files.exists(tmp.resolve("out")), "nothing is written");
        return e.getMessage();
    }
}
