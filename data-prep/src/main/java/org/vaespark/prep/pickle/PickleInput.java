package org.vaespark.prep.pickle;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte source of {@link SafeUnpickler}: buffered reads with a running offset for error
 * messages, little-endian integers as the pickle protocol writes them, and a size limit on every
 * declared length so a damaged or hostile length field cannot ask for more than one Java array.
 * Object data is read once, straight into its final array, whenever the stream reports that many
 * bytes available (files do).
 */
final class PickleInput {
    /** The largest single object (string, bytes, line) read: one Java byte array. */
    static final long MAX_OBJECT_BYTES = Integer.MAX_VALUE - 8L;
    /** Objects up to this size are read straight into their array whatever the stream reports. */
    private static final int DIRECT_READ_BYTES = 64 << 20;

    private final InputStream in;
    private final String name;
    private long offset;

    PickleInput(InputStream in, String name) {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        this.name = name;
    }

    long offset() {
        return offset;
    }

    /** The next opcode byte, or -1 at the end of the stream. */
    int opcode() {
        try {
            int b = in.read();
            if (b >= 0) {
                offset++;
            }
            return b;
        } catch (IOException e) {
            throw PickleErrors.corrupt(name, offset, "cannot read the pickle: " + e.getMessage(), e);
        }
    }

    int u8() {
        int b = opcode();
        if (b < 0) {
            throw truncated(1);
        }
        return b;
    }

    int u16() {
        byte[] b = bytes(2);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    int s32() {
        byte[] b = bytes(4);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    long u32() {
        return s32() & 0xffffffffL;
    }

    long s64() {
        byte[] b = bytes(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }

    double f64BigEndian() {
        byte[] b = bytes(8);
        long v = 0;
        for (byte x : b) {
            v = v << 8 | (x & 0xff);
        }
        return Double.longBitsToDouble(v);
    }

    /** Exactly {@code n} bytes, read straight into one new array. */
    byte[] bytes(long n) {
        if (n < 0 || n > MAX_OBJECT_BYTES) {
            throw PickleErrors.corrupt(name, offset, "an object declares a length of " + Long.toUnsignedString(n)
                    + " bytes, more than the limit of " + MAX_OBJECT_BYTES + " bytes for one object");
        }
        if (n <= DIRECT_READ_BYTES || available() >= n) {
            byte[] out = new byte[(int) n];
            fill(out, 0, out.length);
            return out;
        }
        // A length beyond what the stream says it holds may be damage: read it in chunks so that a
        // bogus length fails with "truncated" after reading the real bytes instead of a huge allocation.
        List<byte[]> chunks = new ArrayList<>();
        for (long left = n; left > 0; ) {
            byte[] chunk = new byte[(int) Math.min(left, DIRECT_READ_BYTES)];
            fill(chunk, 0, chunk.length);
            chunks.add(chunk);
            left -= chunk.length;
        }
        byte[] out = new byte[(int) n];
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            System.arraycopy(chunks.get(i), 0, out, at, chunks.get(i).length);
            at += chunks.get(i).length;
            chunks.set(i, null);
        }
        return out;
    }

    private void fill(byte[] out, int from, int len) {
        int got;
        try {
            got = in.readNBytes(out, from, len);
        } catch (IOException e) {
            throw PickleErrors.corrupt(name, offset, "cannot read the pickle: " + e.getMessage(), e);
        }
        offset += got;
        if (got < len) {
            throw truncated(len - got);
        }
    }

    private long available() {
        try {
            return in.available();
        } catch (IOException e) {
            return 0;
        }
    }

    /** A protocol-0 text argument up to (not including) its newline. */
    byte[] line() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int b = opcode();
            if (b < 0) {
                throw truncated(1);
            }
            if (b == '\n') {
                return out.toByteArray();
            }
            if (out.size() >= MAX_OBJECT_BYTES) {
                throw PickleErrors.corrupt(name, offset, "a text line is longer than " + MAX_OBJECT_BYTES + " bytes");
            }
            out.write(b);
        }
    }

    private RuntimeException truncated(long missing) {
        return PickleErrors.corrupt(name, offset, "the pickle ends early (truncated file): at least " + missing
                + " more byte(s) expected");
    }
}
