package org.vaespark.prep.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.ImageRecord;

/**
 * Reads the statically binarized MNIST of Larochelle &amp; Murray (2011), "The Neural
 * Autoregressive Distribution Estimator" (AISTATS): {@code binarized_mnist_{train,valid,test}.amat},
 * one 28x28 image per line as 784 space-separated values, each {@code 0} or {@code 1}, in
 * row-major order. The files carry no labels.
 *
 * <p>The file may be gzip-compressed or plain (detected by content) and is streamed line by line.
 * Pixels are stored as bytes 0/1. A line with the wrong number of values, a value other than 0
 * or 1, a blank line between images, an empty file or bad gzip data is a
 * {@link org.vaespark.core.errors.VaeException} naming the file and the 1-based line number.
 */
public final class AmatReader {
    public static final int SIDE = 28;
    public static final int VALUES_PER_LINE = SIDE * SIDE;
    private static final int MAX_SHOWN_TOKEN = 20;
    private static final String FIX = "an .amat file has one image per line: 784 values 0 or 1 separated by spaces; "
            + "download binarized_mnist_*.amat again";

    private AmatReader() {
    }

    /** Reads a local file; see {@link #read(InputStream, String, String)}. */
    public static List<ImageRecord> read(Path file, String split) {
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw Errors.missingInput(file.toString(), "a binarized MNIST .amat file");
        } catch (IOException e) {
            throw Compression.readFailure(file.toString(), "open", e);
        }
        try (in) {
            return read(in, file.toString(), split);
        } catch (IOException e) {
            throw Compression.readFailure(file.toString(), "close", e);
        }
    }

    /** All images of the stream in line order, ids 0..n-1, label null. The stream is read to the end and closed. */
    public static List<ImageRecord> read(InputStream raw, String name, String split) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(Compression.open(raw, name), StandardCharsets.US_ASCII), Compression.BUFFER)) {
            return read(reader, name, split);
        } catch (IOException e) {
            throw Compression.readFailure(name, "close", e);
        }
    }

    private static List<ImageRecord> read(BufferedReader reader, String name, String split) {
        List<ImageRecord> out = new ArrayList<>();
        int lineNo = 0;
        int firstBlank = 0;
        while (true) {
            String line;
            try {
                line = reader.readLine();
            } catch (IOException e) {
                throw Compression.readFailure(name, "line " + (lineNo + 1), e);
            }
            if (line == null) {
                break;
            }
            lineNo++;
            if (line.isBlank()) {
                firstBlank = firstBlank == 0 ? lineNo : firstBlank;
                continue;
            }
            if (firstBlank != 0) {
                throw wrongCount(name, firstBlank, 0);
            }
            out.add(new ImageRecord(out.size(), split, null, SIDE, SIDE, 1, parse(line, name, lineNo)));
        }
        if (out.isEmpty()) {
            throw Errors.corruptFile(name, "line 1", "the file is empty: it holds no image lines", FIX);
        }
        return out;
    }

    private static byte[] parse(String line, String name, int lineNo) {
        byte[] pixels = new byte[VALUES_PER_LINE];
        int count = 0;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                i++;
            }
            if (i - start != 1 || (c != '0' && c != '1')) {
                String token = line.substring(start, Math.min(i, start + MAX_SHOWN_TOKEN));
                throw Errors.corruptFile(name, "line " + lineNo, "value " + (count + 1) + " is '" + token
                        + (i - start > MAX_SHOWN_TOKEN ? "...'" : "'") + ", expected 0 or 1", FIX);
            }
            if (count < VALUES_PER_LINE) {
                pixels[count] = (byte) (c - '0');
            }
            count++;
        }
        if (count != VALUES_PER_LINE) {
            throw wrongCount(name, lineNo, count);
        }
        return pixels;
    }

    private static RuntimeException wrongCount(String name, int lineNo, int count) {
        return Errors.corruptFile(name, "line " + lineNo, "line " + lineNo + " has " + count + " values, expected "
                + VALUES_PER_LINE + " (" + SIDE + "x" + SIDE + ")", FIX);
    }
}
