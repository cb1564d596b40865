package org.vaespark.prep.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.testing.ReferenceFiles;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.TestFiles;

class BinarizedMnistSourceTest {
    static final List<Manifest.SourceFile> GZ_FILES = ReferenceFiles.BINARIZED_GZ;

    @Test
    void plainValidFileIsRecordedWithTheOfficialChecksum(@TempDir Path dir) throws Exception {
        Path shared = SharedData.dir().resolve("binarized_mnist");
        TestFiles.copy(shared.resolve("binarized_mnist_train.amat.gz"), dir);
        TestFiles.copy(shared.resolve("binarized_mnist_test.amat.gz"), dir);
        TestFiles.gunzip(shared.resolve("binarized_mnist_valid.amat.gz"), dir, "binarized_mnist_valid.amat");
        SourceData data = BinarizedMnistSource.read(FileSystem.getLocal(new Configuration()),
                MnistSourceTest.hadoop(dir));
        assertEquals(SourceKind.BINARIZED_MNIST, data.kind());
        assertEquals(List.of("train", "valid", "test"), List.copyOf(data.splits().keySet()));
        assertEquals(List.of(50000L, 10000L, 10000L), List.copyOf(data.counts().values()));
        assertEquals(GZ_FILES.get(0), data.files().get(0));
        assertEquals(new Manifest.SourceFile("binarized_mnist_valid.amat", 10000L * 1568,
                ReferenceFiles.BINARIZED_VALID_PLAIN_SHA256), data.files().get(1));
        assertEquals(GZ_FILES.get(2), data.files().get(2));
    }

    @Test
    void missingSplitFileIsNamed(@TempDir Path dir) throws Exception {
        TestFiles.copy(SharedData.file("binarized_mnist/binarized_mnist_valid.amat.gz"), dir);
        VaeException e = assertThrows(VaeException.class, () -> BinarizedMnistSource.read(
                FileSystem.getLocal(new Configuration()), MnistSourceTest.hadoop(dir)));
        assertTrue(e.getMessage().contains("binarized_mnist_train.amat"), e.getMessage());
    }
}
