package org.vaespark.prep.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vaespark.prep.source.SourceFixtures.cifarPickle;
import static org.vaespark.prep.source.SourceFixtures.cifarRecords;
import static org.vaespark.prep.source.SourceFixtures.prepare;
import static org.vaespark.prep.source.SourceFixtures.rows;
import static org.vaespark.prep.source.SourceFixtures.write;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.Manifest;

/** CIFAR-10 python version (Krizhevsky 2009): pickles made from the real binary records give the same rows. */
class Cifar10PythonSourceTest {

    @Test
    void binaryAndPythonVersionsGiveIdenticalRows(@TempDir Path tmp) {
        byte[] train = cifarRecords("train_subset_10k_class_sorted.bin", 250);
        byte[] test = cifarRecords("test_class_sorted.bin", 1000);
        write(tmp.resolve("bin/data_batch_1.bin"), train);
        write(tmp.resolve("bin/test_batch.bin"), test);
        write(tmp.resolve("py/cifar-10-batches-py/data_batch_1"), cifarPickle(train));
        write(tmp.resolve("py/cifar-10-batches-py/test_batch"), cifarPickle(test));
        write(tmp.resolve("py/cifar-10-batches-py/batches.meta"), new byte[] {1});
        String files = "prepare.cifar10.train-files=[data_batch_1]";
        Manifest bin = prepare(tmp.resolve("bin"), tmp.resolve("a"), "prepare.source=cifar10-binary", files);
        Manifest py = prepare(tmp.resolve("py"), tmp.resolve("b"), "prepare.source=cifar10-python", files);
        assertEquals(Map.of("train", 250L, "test", 1000L), py.counts());
        assertEquals(bin.source(), py.source());
        assertEquals(rows(tmp.resolve("a")), rows(tmp.resolve("b")));
        assertEquals(bin.contentSha256(), py.contentSha256());

        // the official download, cifar-10-python.tar.gz, read without unpacking
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("cifar-10-batches-py/batches.meta", new byte[] {1});
        entries.put("cifar-10-batches-py/test_batch", cifarPickle(test));
        entries.put("cifar-10-batches-py/data_batch_1", cifarPickle(train));
        write(tmp.resolve("tgz/README"), new byte[0]);
        SourceFixtures.tarGz(tmp.resolve("tgz").resolve(Cifar10Source.PYTHON_TARBALL), entries);
        Manifest tgz = prepare(tmp.resolve("tgz"), tmp.resolve("c"), "prepare.source=cifar10-python", files);
        assertEquals(Cifar10Source.PYTHON_TARBALL, tgz.sourceFiles().get(0).name());
        assertEquals(rows(tmp.resolve("a")), rows(tmp.resolve("c")));
        assertEquals(bin.contentSha256(), tgz.contentSha256());
    }

    @Test
    void wrongKeysShapesAndDtypesNameFileAndKey(@TempDir Path tmp) {
        byte[] data = new byte[2 * 3072];
        long[] labels = {1, 2};
        assertFails(tmp, "a", TestPickles.batch("data", data, new long[] {2, 3072}, "u1", "label", labels), "labels");
        assertFails(tmp, "b", TestPickles.batch("data", data, new long[] {3, 2048}, "u1", "labels", labels), "'data'");
        assertFails(tmp, "c", TestPickles.batch("data", data, new long[] {2, 3072}, "i2", "labels", labels), "dtype");
        assertFails(tmp, "d", TestPickles.batch("data", data, new long[] {2, 3072}, "u1", "labels", new long[] {1, 10}),
                "label 10");
    }

    private static void assertFails(Path tmp, String name, byte[] pickle, String expected) {
        write(tmp.resolve(name + "/test_batch"), pickle);
        VaeException e = assertThrows(VaeException.class, () -> prepare(tmp.resolve(name), tmp.resolve(name + "-out"),
                "prepare.source=cifar10-python", "prepare.cifar10.train-files=[]"));
        assertTrue(e.getMessage().contains("test_batch") && e.getMessage().contains(expected), e.getMessage());
    }
}
