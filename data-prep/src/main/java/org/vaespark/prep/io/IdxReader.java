package org.vaespark.prep.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.ImageRecord;

/**
 * Reads a pair of MNIST files in the IDX format of LeCun, Bottou, Bengio &amp; Haffner (1998),
 * "Gradient-based learning applied to document recognition" (http://yann.lecun.com/exdb/mnist/):
 * an images file (big-endian magic 0x00000803, image count, rows, cols, then uint8 pixels
 * row-major) and a labels file (magic 0x00000801, label count, then one uint8 label 0..9 per image).
 *
 * <p>Either file may be gzip-compressed or plain (detected by content). The files are streamed
 * one record at a time; both headers are checked against each other before any pixel is read.
 * Every defect (wrong magic, truncation, count mismatch, bad gzip data, label above 9, trailing
 * bytes) is a {@link org.vaespark.core.errors.VaeException} naming the file and the record.
 */
public final class IdxReader {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    /** Largest rows or cols accepted in a header; anything larger means the header is damaged. */
    private static final int MAX_SIDE = 1 << 14;
    private static final int MAX_LABEL = 9;
    private static final int LABEL_CHUNK = 8192;
    private static final String REDOWNLOAD = "the file is damaged: download it again from the MNIST page";

    private IdxReader() {
    }

    /** Reads local files; see {@link #read(InputStream, String, InputStream, String, String)}. */
    public static List<ImageRecord> read(Path images, Path labels, String split) {
        try (InputStream img = open(images); InputStream lab = open(labels)) {
            return read(img, images.toString(), lab, labels.toString(), split);
        } catch (IOException e) {
            throw Compression.readFailure(images + " / " + labels, "close", e);
        }
    }

    /**
     * All images of one split with their labels, in file order; ids run 0..count-1.
     * Both streams are read to the end and closed.
     */
    public static List<ImageRecord> read(InputStream images, String imagesName, InputStream labels, String labelsName,
                                         String split) {
        try (RecordInput img = new RecordInput(images, imagesName); RecordInput lab = new RecordInput(labels, labelsName)) {
            checkMagic(lab, LABELS_MAGIC);
            int labelCount = count(lab);
            checkMagic(img, IMAGES_MAGIC);
            int count = count(img);
            int rows = side(img, "rows");
            int cols = side(img, "cols");
            if (count != labelCount) {
                throw Errors.corruptFile(imagesName, "header", "the images file holds " + count
                        + " images but the labels file " + Errors.redact(labelsName) + " holds " + labelCount + " labels",
                        "pass the images and labels files of the same split (train-images with train-labels, "
                                + "t10k-images with t10k-labels)");
            }
            byte[] labelBytes = readLabels(lab, count);
            expectEnd(lab, count);
            List<ImageRecord> out = new ArrayList<>(Math.min(count, 1 << 16));
            for (int i = 0; i < count; i++) {
                byte[] pixels = new byte[rows * cols];
                img.readFully(pixels, record(i, count));
                out.add(new ImageRecord(i, split, labelBytes[i] & 0xFF, rows, cols, 1, pixels));
            }
            expectEnd(img, count);
            return out;
        }
    }

    private static byte[] readLabels(RecordInput lab, int count) {
        byte[] labels = new byte[count];
        byte[] chunk = new byte[LABEL_CHUNK];
        for (int start = 0; start < count; start += LABEL_CHUNK) {
            int want = Math.min(LABEL_CHUNK, count - start);
            byte[] buf = want == LABEL_CHUNK ? chunk : new byte[want];
            int got = lab.readUpTo(buf, record(start, count));
            if (got < want) {
                throw Compression.truncated(lab.name(), record(start + got, count),
                        "the header announces " + count + " labels");
            }
            System.arraycopy(buf, 0, labels, start, want);
        }
        for (int i = 0; i < count; i++) {
            int v = labels[i] & 0xFF;
            if (v > MAX_LABEL) {
                throw Errors.corruptFile(lab.name(), record(i, count), "label " + v + " is outside 0.." + MAX_LABEL,
                        "MNIST labels are digits 0-9; this is not an MNIST labels file or it is damaged");
            }
        }
        return labels;
    }

    private static void checkMagic(RecordInput in, int expected) {
        int magic = in.readInt("header");
        if (magic != expected) {
            throw Errors.corruptFile(in.name(), "header", "wrong magic number " + hex(magic) + " (" + describe(magic)
                    + "), expected " + hex(expected) + " (" + describe(expected) + ")",
                    expected == IMAGES_MAGIC ? "pass an MNIST images file (*-images-idx3-ubyte, gzip or plain) here"
                            : "pass an MNIST labels file (*-labels-idx1-ubyte, gzip or plain) here");
        }
    }

    private static int count(RecordInput in) {
        int count = in.readInt("header");
        if (count < 0) {
            throw Errors.corruptFile(in.name(), "header", "negative record count " + count, REDOWNLOAD);
        }
        return count;
    }

    private static int side(RecordInput in, String what) {
        int v = in.readInt("header");
        if (v <= 0 || v > MAX_SIDE) {
            throw Errors.corruptFile(in.name(), "header", "image " + what + " = " + v + " is not in 1.." + MAX_SIDE,
                    REDOWNLOAD);
        }
        return v;
    }

    private static void expectEnd(RecordInput in, int count) {
        long extra = in.remaining("end of file", 1 << 20);
        if (extra > 0) {
            throw Errors.corruptFile(in.name(), "after record " + (count - 1), (extra >= 1 << 20 ? "at least " : "")
                    + extra + " unexpected bytes after the " + count + " records the header announces", REDOWNLOAD);
        }
    }

    private static String record(int i, int count) {
        return "record " + i + " of " + count;
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    private static String describe(int magic) {
        if (magic == IMAGES_MAGIC) {
            return "IDX images file";
        }
        if (magic == LABELS_MAGIC) {
            return "IDX labels file";
        }
        return "not an MNIST IDX file";
    }

    private static InputStream open(Path p) {
        try {
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw Errors.missingInput(p.toString(), "an MNIST IDX file");
        } catch (IOException e) {
            throw Compression.readFailure(p.toString(), "open", e);
        }
    }
}
