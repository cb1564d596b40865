package org.vaespark.prep.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.testing.ReferenceFiles;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.TestFiles;

class MnistSourceTest {
    static final List<Manifest.SourceFile> OFFICIAL = ReferenceFiles.MNIST_GZ;

    private static FileSystem fs;

    @BeforeAll
    static void localFs() throws Exception {
        fs = FileSystem.getLocal(new Configuration());
    }

    static org.apache.hadoop.fs.Path hadoop(Path p) {
        return new org.apache.hadoop.fs.Path(p.toUri());
    }

    @Test
    void lastTrainingImagesBecomeTheValidSplit() {
        SourceData data = MnistSource.read(fs, hadoop(SharedData.dir().resolve("mnist")), 10000);
        assertEquals(List.of("train", "valid", "test"), List.copyOf(data.splits().keySet()));
        assertEquals(List.of(50000L, 10000L, 10000L), List.copyOf(data.counts().values()));
        assertEquals(OFFICIAL, data.files());
        List<ImageRecord> train = data.splits().get("train");
        List<ImageRecord> valid = data.splits().get("valid");
        assertEquals(49999, train.get(49999).id());
        assertEquals(0, valid.get(0).id());
        assertEquals(9999, valid.get(9999).id());
        assertEquals("valid", valid.get(0).split());
        assertEquals(3, valid.get(0).label(), "label of training image 50000");
        assertEquals(8, valid.get(9999).label(), "label of training image 59999");
        long sum = 0;
        for (byte b : valid.get(0).pixels()) {
            sum += b & 0xFF;
        }
        assertEquals(22386, sum, "pixel sum of training image 50000");
        assertEquals(28, data.height());
        assertEquals(SourceKind.MNIST, data.kind());
    }

    @Test
    void plainFileNamesAreAcceptedAndRecordedAsGiven(@TempDir Path dir) throws Exception {
        Path mnist = SharedData.dir().resolve("mnist");
        TestFiles.gunzip(mnist.resolve("t10k-images-idx3-ubyte.gz"), dir, "t10k-images-idx3-ubyte");
        TestFiles.gunzip(mnist.resolve("t10k-labels-idx1-ubyte.gz"), dir, "t10k-labels-idx1-ubyte");
        Files.createSymbolicLink(dir.resolve("train-images-idx3-ubyte.gz"), mnist.resolve("train-images-idx3-ubyte.gz"));
        Files.createSymbolicLink(dir.resolve("train-labels-idx1-ubyte.gz"), mnist.resolve("train-labels-idx1-ubyte.gz"));
        SourceData data = MnistSource.read(fs, hadoop(dir), 0);
        assertEquals(List.of("train", "test"), List.copyOf(data.splits().keySet()));
        assertEquals("t10k-images-idx3-ubyte", data.files().get(2).name());
        assertEquals(Files.size(dir.resolve("t10k-images-idx3-ubyte")), data.files().get(2).bytes());
        assertEquals(OFFICIAL.get(0), data.files().get(0));
    }

    @Test
    void validationSizeMustLeaveTrainingImages() {
        VaeException e = assertThrows(VaeException.class,
                () -> MnistSource.read(fs, hadoop(SharedData.dir().resolve("mnist")), 60000));
        assertTrue(e.getMessage().contains("prepare.validation-size") && e.getMessage().contains("59999"), e.getMessage());
    }

    @Test
    void missingFileIsNamedBeforeAnythingIsRead(@TempDir Path dir) {
        TestFiles.copy(SharedData.file("mnist/t10k-images-idx3-ubyte.gz"), dir);
        VaeException e = assertThrows(VaeException.class, () -> MnistSource.read(fs, hadoop(dir), 0));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        VaeException noDir = assertThrows(VaeException.class,
                () -> MnistSource.read(fs, hadoop(dir.resolve("absent")), 0));
        assertTrue(noDir.getMessage().contains("absent"), noDir.getMessage());
    }
}
