package org.vaespark.prep.source;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import javax.imageio.ImageIO;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.ImageRecord;

/**
 * Decodes one PNG or JPEG file with {@link ImageIO}, strictly: only 8-bit grey or 8-bit RGB images
 * are accepted (no alpha channel, no palette, no 16-bit samples), because converting them would
 * silently change the pixels a likelihood is measured on. Pixels come out row-major, channels last.
 *
 * @param side     the required height and width (64 for van den Oord et al. 2016), or 0 for any size
 * @param channels the accepted channel counts: [3] for ImageNet 64x64, [1, 3] for an image folder
 * @param fix      what to tell the user when an image is rejected
 */
record ImageDecoding(int side, List<Integer> channels, String fix) implements Serializable {

    ImageRecord decode(byte[] content, String name, long id, String split, Integer label) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(content));
        } catch (IOException | RuntimeException e) {
            throw Errors.corruptFile(name, "image " + id + " of split " + split, "not a readable PNG or JPEG image ("
                    + e.getMessage() + ")", "replace the damaged file (download the dataset again)", e);
        }
        if (img == null) {
            throw Errors.corruptFile(name, "image " + id + " of split " + split, "not a readable PNG or JPEG image "
                    + "(no image decoder recognises its bytes)", "replace the damaged file (download the dataset again)");
        }
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        int bands = raster.getNumBands();
        String mode = describe(cm, bands);
        boolean eightBit = true;
        for (int size : raster.getSampleModel().getSampleSize()) {
            eightBit &= size == 8;
        }
        if (cm instanceof IndexColorModel || cm.hasAlpha() || !eightBit || !channels.contains(bands)) {
            throw Errors.corruptFile(name, "image " + id + " of split " + split, "the image is " + mode
                    + "; only 8-bit " + (channels.contains(1) ? "grey or " : "") + "RGB images are accepted", fix);
        }
        int h = img.getHeight();
        int w = img.getWidth();
        if (side > 0 && (h != side || w != side)) {
            throw Errors.corruptFile(name, "image " + id + " of split " + split, "the image is " + h + "x" + w
                    + ", expected " + side + "x" + side, fix);
        }
        int[] samples = raster.getPixels(0, 0, w, h, (int[]) null);
        byte[] pixels = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            pixels[i] = (byte) samples[i];
        }
        return new ImageRecord(id, split, label, h, w, bands, pixels);
    }

    /** Fails unless {@code r} has the shape of {@code first}: every image of a dataset must. */
    void checkSameShape(ImageRecord r, String name, ImageRecord first, String firstName) {
        if (r.height() != first.height() || r.width() != first.width() || r.channels() != first.channels()) {
            throw Errors.corruptFile(name, "image " + r.id() + " of split " + r.split(), "the image is " + shape(r)
                    + " but " + Errors.redact(firstName) + " is " + shape(first)
                    + "; all images of a dataset must have the same size and channels", fix);
        }
    }

    static String shape(ImageRecord r) {
        return r.height() + "x" + r.width() + "x" + r.channels();
    }

    private static String describe(ColorModel cm, int bands) {
        if (cm instanceof IndexColorModel) {
            return "a palette image";
        }
        String kind = cm.hasAlpha() ? (bands == 2 ? "grey+alpha" : "RGBA") : bands == 1 ? "grey" : bands == 3 ? "RGB"
                : bands + "-channel";
        return kind + " with " + cm.getPixelSize() / Math.max(1, bands) + "-bit samples";
    }
}
