package org.vaespark.prep;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.SparkTestSession;
import org.vaespark.prep.testing.TestFiles;

/** The output may be neither the input, nor inside it, nor above it; refused before anything is read or written. */
class OutputPlacementTest {
    @TempDir
    Path dir;

    @Test
    void outputsInsideOrAboveTheInputAreRefused() throws Exception {
        Path input = dir.resolve("raw/mnist");
        Files.createDirectories(input);
        for (String f : new String[]{"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"}) {
            Files.copy(SharedData.file("mnist/" + f), input.resolve(f));
        }
        var before = TestFiles.snapshot(dir.resolve("raw"));
        for (Path output : new Path[]{input, input.resolve("prepared"), dir.resolve("raw")}) {
            VaeException e = assertThrows(VaeException.class, () -> Prepare.run(SparkTestSession.get(), Settings.defaults(
                    "prepare.source=mnist", "prepare.input=" + input, "prepare.output=" + output, "prepare.overwrite=true")));
            assertTrue(e.getMessage().contains("prepare.output") && e.getMessage().contains("neither inside it nor a directory above it"),
                    e.getMessage());
        }
        assertFalse(Files.exists(input.resolve("prepared")));
        assertTrue(before.equals(TestFiles.snapshot(dir.resolve("raw"))), "the raw files are untouched");
    }
}
