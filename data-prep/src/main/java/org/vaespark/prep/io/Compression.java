package org.vaespark.prep.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.errors.Errors;

/**
 * Opens a raw dataset file that may be gzip-compressed (RFC 1952) or plain, deciding by the
 * file's first two bytes (0x1f 0x8b) rather than by its name, and turns low-level read failures
 * into {@link VaeException}s that name the file and the record being read.
 */
public final class Compression {
    static final int BUFFER = 1 << 16;
    private static final String REDOWNLOAD = "the file is damaged or incomplete: download it again";

    private Compression() {
    }

    /** True when the stream starts with the gzip magic bytes; the stream must support mark/reset. */
    static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    /** The decompressed content of {@code raw} if it is gzip, else {@code raw} itself (buffered). */
    public static InputStream open(InputStream raw, String name) {
        BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER);
        try {
            if (!isGzip(buffered)) {
                return buffered;
            }
            return new BufferedInputStream(new GZIPInputStream(buffered, BUFFER), BUFFER);
        } catch (IOException e) {
            throw readFailure(name, "gzip header", e);
        }
    }

    /** The user-facing error for an I/O failure while reading {@code record} of file {@code name}. */
    public static VaeException readFailure(String name, String record, IOException e) {
        if (e instanceof ZipException) {
            return Errors.corruptFile(name, record, "invalid gzip data (" + e.getMessage() + ")", REDOWNLOAD, e);
        }
        if (e instanceof EOFException) {
            return Errors.corruptFile(name, record, "the gzip stream ends early (" + e.getMessage() + ")", REDOWNLOAD, e);
        }
        return Errors.corruptFile(name, record, "cannot read the file (" + e + ")",
                "check that the file is readable and the storage is reachable", e);
    }

    /** The error for a file that ends before {@code record} is complete. */
    public static VaeException truncated(String name, String record, String detail) {
        return Errors.corruptFile(name, record, "file is truncated: it ends in the middle of " + record
                + (detail == null ? "" : " (" + detail + ")"), REDOWNLOAD);
    }
}
