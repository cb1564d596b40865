package org.vaespark.prep.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads fixed-size binary records from a possibly gzip-compressed stream, one record at a time,
 * so that any failure (short read, bad gzip data, I/O error) is reported with the file name and
 * the record where it happened. Multi-byte integers are big-endian, as in the IDX format.
 * Closing it closes the underlying stream.
 */
final class RecordInput implements AutoCloseable {
    private final InputStream in;
    private final String name;

    RecordInput(InputStream raw, String name) {
        this.name = name;
        this.in = Compression.open(raw, name);
    }

    String name() {
        return name;
    }

    /** Reads until {@code buf} is full or the file ends; returns the bytes read. Failures name {@code record}. */
    int readUpTo(byte[] buf, String record) {
        try {
            return in.readNBytes(buf, 0, buf.length);
        } catch (IOException e) {
            throw Compression.readFailure(name, record, e);
        }
    }

    /** Fills {@code buf} completely or fails naming {@code record}. */
    void readFully(byte[] buf, String record) {
        int n = readUpTo(buf, record);
        if (n < buf.length) {
            throw Compression.truncated(name, record, "got " + n + " of " + buf.length + " bytes");
        }
    }

    int readInt(String record) {
        byte[] b = new byte[4];
        readFully(b, record);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /** The number of bytes left after the last record (0 for a well-formed file), counting at most {@code limit}. */
    long remaining(String record, long limit) {
        try {
            long skipped = 0;
            byte[] sink = new byte[8192];
            while (skipped < limit) {
                int n = in.read(sink, 0, (int) Math.min(sink.length, limit - skipped));
                if (n < 0) {
                    break;
                }
                skipped += n;
            }
            return skipped;
        } catch (IOException e) {
            throw Compression.readFailure(name, record, e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw Compression.readFailure(name, "close", e);
        }
    }
}
