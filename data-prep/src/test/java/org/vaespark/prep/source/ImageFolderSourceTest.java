package org.vaespark.prep.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vaespark.prep.source.SourceFixtures.prepare;
import static org.vaespark.prep.source.SourceFixtures.rows;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.config.Settings;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.PrepareConfig;

/** A generic {@code <split>/<class>/<image>} folder, and the configuration keys of the parallel sources. */
class ImageFolderSourceTest {
    private static final int GREY = BufferedImage.TYPE_BYTE_GRAY;

    @Test
    void classesAreLabelledBySortedNameAcrossSplits(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        byte[] dog = SourceFixtures.image(in.resolve("train/dog/1.png"), "png", GREY, 5, 7, 1);
        byte[] cat = SourceFixtures.image(in.resolve("train/cat/9.png"), "png", GREY, 5, 7, 2);
        byte[] emu = SourceFixtures.image(in.resolve("test/emu/0.png"), "png", GREY, 5, 7, 3);
        Manifest m = prepare(in, tmp.resolve("out"), "prepare.source=image-folder", "prepare.image-folder.name=pets");
        assertEquals("pets", m.source());
        assertEquals("uint8-grey-0-255", m.pixelEncoding());
        assertEquals(List.of(5, 7, 1), List.of(m.height(), m.width(), m.channels()));
        assertEquals(Map.of("train", 2L, "test", 1L), m.counts());
        List<ImageRecord> rows = rows(tmp.resolve("out"));
        assertEquals(2, rows.get(0).label(), "emu is class 2 of [cat, dog, emu]");
        assertArrayEquals(emu, rows.get(0).pixels());
        assertEquals(0, rows.get(1).label());
        assertArrayEquals(cat, rows.get(1).pixels());
        assertEquals(1, rows.get(2).label());
        assertArrayEquals(dog, rows.get(2).pixels());
    }

    @Test
    void imagesOfDifferentSizesOrChannelsAreRejected(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        SourceFixtures.image(in.resolve("train/a/1.png"), "png", GREY, 5, 7, 1);
        SourceFixtures.image(in.resolve("train/b/2.png"), "png", BufferedImage.TYPE_3BYTE_BGR, 5, 7, 1);
        VaeException e = assertThrows(VaeException.class,
                () -> prepare(in, tmp.resolve("out"), "prepare.source=image-folder"));
        assertTrue(e.getMessage().contains("2.png") && e.getMessage().contains("5x7x3"), e.getMessage());
        VaeException none = assertThrows(VaeException.class,
                () -> prepare(tmp.resolve("none"), tmp.resolve("out"), "prepare.source=image-folder"));
        assertTrue(none.getMessage().contains("none"), none.getMessage());
    }

    @Test
    void newKeysAreValidatedAndNamed() {
        for (String[] bad : new String[][] {
                {"prepare.source=imagenet64", "prepare.source"},
                {"prepare.images-per-task=0", "prepare.images-per-task"},
                {"prepare.image-folder.name=Bad Name", "prepare.image-folder.name"},
                {"prepare.cifar10.train-files=[a/b]", "prepare.cifar10.train-files"},
                {"prepare.cifar10.test-files=x", "prepare.cifar10.test-files"}}) {
            VaeException e = assertThrows(VaeException.class, () -> PrepareConfig.from(Settings.defaults(
                    "prepare.source=image-folder", "prepare.input=in", "prepare.output=out", bad[0]).config()));
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
        PrepareConfig c = PrepareConfig.from(Settings.defaults("prepare.source=cifar10-python", "prepare.input=in",
                "prepare.output=out").config());
        assertEquals(5, c.cifarTrainFiles().size());
        assertEquals(List.of("test_batch"), c.cifarTestFiles());
    }
}
