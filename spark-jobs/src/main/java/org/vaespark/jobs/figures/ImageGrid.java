package org.vaespark.jobs.figures;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.vaespark.core.model.ImageShape;

/**
 * A grid of equally shaped images as one PNG: tiles of values in [0, 1] (clipped, then
 * round(255 v)), pixels row-major channels-last; grey for one channel, RGB for three. Tiles are
 * separated by a {@link #GAP}-pixel border of mid grey; missing cells of the last row stay grey.
 * The whole grid is then scaled up by a whole factor (nearest neighbour: every pixel a square, no blur).
 */
public final class ImageGrid {
    /** Pixels between tiles. */
    public static final int GAP = 1;
    private static final int BORDER = 128;

    private ImageGrid() {
    }

    /** The PNG bytes of {@code tiles} laid out {@code columns} per row, every pixel drawn {@code scale} x {@code scale}. */
    public static byte[] png(List<float[]> tiles, ImageShape shape, int columns, int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale " + scale + " < 1");
        }
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException("pictures need 1 or 3 channels, the images have " + shape.channels());
        }
        int rows = (tiles.size() + columns - 1) / columns;
        int h = shape.height();
        int w = shape.width();
        int c = shape.channels();
        int width = columns * w + (columns + 1) * GAP;
        int height = rows * h + (rows + 1) * GAP;
        BufferedImage image = new BufferedImage(width, height, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, BORDER);
                if (c == 3) {
                    image.getRaster().setSample(x, y, 1, BORDER);
                    image.getRaster().setSample(x, y, 2, BORDER);
                }
            }
        }
        for (int t = 0; t < tiles.size(); t++) {
            float[] tile = tiles.get(t);
            if (tile.length != shape.dimension()) {
                throw new IllegalArgumentException("tile " + t + " has " + tile.length + " values, expected " + shape.dimension());
            }
            int x0 = GAP + (t % columns) * (w + GAP);
            int y0 = GAP + (t / columns) * (h + GAP);
            for (int r = 0; r < h; r++) {
                for (int col = 0; col < w; col++) {
                    for (int ch = 0; ch < c; ch++) {
                        image.getRaster().setSample(x0 + col, y0 + r, ch, level(tile[(r * w + col) * c + ch]));
                    }
                }
            }
        }
        if (scale > 1) {
            image = scaled(image, scale);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage scaled(BufferedImage image, int scale) {
        BufferedImage big = new BufferedImage(image.getWidth() * scale, image.getHeight() * scale, image.getType());
        int bands = image.getRaster().getNumBands();
        for (int y = 0; y < big.getHeight(); y++) {
            for (int x = 0; x < big.getWidth(); x++) {
                for (int b = 0; b < bands; b++) {
                    big.getRaster().setSample(x, y, b, image.getRaster().getSample(x / scale, y / scale, b));
                }
            }
        }
        return big;
    }

    /** round(255 clip(v, 0, 1)); NaN becomes 0. */
    public static int level(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return (int) Math.round(255.0 * Math.min(1.0, v));
    }
}
