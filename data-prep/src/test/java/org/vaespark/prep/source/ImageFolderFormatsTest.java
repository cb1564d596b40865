package org.vaespark.prep.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vaespark.prep.source.SourceFixtures.prepare;
import static org.vaespark.prep.source.SourceFixtures.rows;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.Manifest;

/**
 * Image folders in the formats people have: grey and RGB JPEGs, baseline and progressive, are read
 * (within JPEG's loss of the pixels written); a palette PNG and a 16-bit PNG are refused with a message
 * naming the file, what it is and what to store instead.
 */
class ImageFolderFormatsTest {
    private static final int H = 16;
    private static final int W = 24;
    /** Largest pixel error of a quality-1.0 JPEG of the smooth test images (measured here: 0 levels grey, 1 level RGB). */
    private static final int JPEG_TOLERANCE = 4;

    @TempDir
    Path tmp;

    @Test
    void greyJpegsBaselineAndProgressiveAreRead() throws IOException {
        checkJpegFolder(BufferedImage.TYPE_BYTE_GRAY, 1, "uint8-grey-0-255");
    }

    @Test
    void rgbJpegsBaselineAndProgressiveAreRead() throws IOException {
        checkJpegFolder(BufferedImage.TYPE_3BYTE_BGR, 3, "uint8-rgb-0-255");
    }

    @Test
    void aPaletteOrA16BitPngIsRefusedNamingTheFile() throws IOException {
        Path in = tmp.resolve("palette");
        SourceFixtures.image(in.resolve("train/a/ok.png"), "png", BufferedImage.TYPE_BYTE_GRAY, H, W, 1);
        byte[] levels = new byte[16];
        for (int i = 0; i < 16; i++) {
            levels[i] = (byte) (i * 17);
        }
        BufferedImage palette = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(4, 16, levels, levels, levels));
        write(palette, in.resolve("train/b/palette.png"), "png", false);
        VaeException p = assertThrows(VaeException.class, () -> prepare(in, tmp.resolve("out-palette"), "prepare.source=image-folder"));
        assertTrue(p.getMessage().contains("palette.png") && p.getMessage().contains("the image is a palette image; only 8-bit grey or RGB "
                + "images are accepted") && p.getMessage().contains("Fix: store every image of the dataset as 8-bit grey or 8-bit RGB"),
                p.getMessage());

        Path in16 = tmp.resolve("sixteen");
        SourceFixtures.image(in16.resolve("train/a/ok.png"), "png", BufferedImage.TYPE_BYTE_GRAY, H, W, 1);
        BufferedImage deep = new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY);
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < W; c++) {
                deep.getRaster().setSample(c, r, 0, (r * W + c) * 170);
            }
        }
        write(deep, in16.resolve("train/b/deep.png"), "png", false);
        VaeException d = assertThrows(VaeException.class, () -> prepare(in16, tmp.resolve("out-16"), "prepare.source=image-folder"));
        assertTrue(d.getMessage().contains("deep.png") && d.getMessage().contains("the image is grey with 16-bit samples"), d.getMessage());
    }

    /** A folder of baseline and progressive JPEGs of {@code type}: every image read, the pixels within JPEG's loss. */
    private void checkJpegFolder(int type, int channels, String encoding) throws IOException {
        Path in = tmp.resolve("in");
        BufferedImage base = smooth(type, 1);
        BufferedImage progressive = smooth(type, 2);
        BufferedImage test = smooth(type, 3);
        byte[] baseBytes = write(base, in.resolve("train/a/base.jpg"), "jpeg", false);
        byte[] progressiveBytes = write(progressive, in.resolve("train/b/progressive.jpeg"), "jpeg", true);
        write(test, in.resolve("test/a/t.jpg"), "jpeg", true);
        // SOF0 marks a baseline frame, SOF2 a progressive one: the files are what their names say
        assertTrue(hasMarker(baseBytes, 0xC0) && !hasMarker(baseBytes, 0xC2), "baseline JPEG");
        assertTrue(hasMarker(progressiveBytes, 0xC2) && !hasMarker(progressiveBytes, 0xC0), "progressive JPEG");

        Manifest m = prepare(in, tmp.resolve("out"), "prepare.source=image-folder");
        assertEquals(List.of(H, W, channels), List.of(m.height(), m.width(), m.channels()));
        assertEquals(encoding, m.pixelEncoding());
        assertEquals(Map.of("train", 2L, "test", 1L), m.counts());
        List<ImageRecord> rows = rows(tmp.resolve("out"));
        assertClose(test, rows.get(0));
        assertClose(base, rows.get(1));
        assertClose(progressive, rows.get(2));
    }

    private static void assertClose(BufferedImage written, ImageRecord read) {
        int[] want = written.getRaster().getPixels(0, 0, W, H, (int[]) null);
        byte[] got = read.pixels();
        assertEquals(want.length, got.length);
        int worst = 0;
        boolean anyDifferent = false;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - (got[i] & 0xFF)));
            anyDifferent |= i > 0 && got[i] != got[0];
        }
        assertTrue(worst <= JPEG_TOLERANCE, "largest pixel error " + worst + " of image " + read.id());
        assertTrue(anyDifferent, "not a constant image");
    }

    /** A smooth image (JPEG keeps it almost exactly), channels differing, seeded. */
    private static BufferedImage smooth(int type, int seed) {
        BufferedImage img = new BufferedImage(W, H, type);
        int bands = img.getRaster().getNumBands();
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < W; c++) {
                int[] px = new int[bands];
                for (int b = 0; b < bands; b++) {
                    px[b] = 20 + 10 * seed + 3 * r + 2 * c + 25 * b;
                }
                img.getRaster().setPixel(c, r, px);
            }
        }
        return img;
    }

    private static byte[] write(BufferedImage img, Path file, String format, boolean progressive) throws IOException {
        Files.createDirectories(file.getParent());
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (format.equals("jpeg")) {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(1.0f);
            param.setProgressiveMode(progressive ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
        }
        try (OutputStream o = Files.newOutputStream(file); ImageOutputStream ios = ImageIO.createImageOutputStream(o)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] bytes = Files.readAllBytes(file);
        assertFalse(bytes.length == 0, "wrote " + file);
        return bytes;
    }

    private static boolean hasMarker(byte[] jpeg, int marker) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
                return true;
            }
        }
        return false;
    }
}
