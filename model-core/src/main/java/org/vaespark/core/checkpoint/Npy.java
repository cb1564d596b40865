package org.vaespark.core.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vaespark.core.errors.Errors;

/**
 * Reads and writes float32 arrays in NumPy's .npy format, version 1.0 (little-endian '&lt;f4',
 * C order), so checkpoint arrays open with {@code numpy.load} as they are. Reading checks every
 * length the file states against the bytes it has: a truncated or garbled file is one
 * {@link Errors#damagedCheckpoint} message naming the file, never an index error.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    /** Magic, two version bytes and the header length (2 bytes in version 1, 4 in versions 2 and 3). */
    private static final int PREAMBLE_V1 = MAGIC.length + 2 + 2;

    private Npy() {
    }

    public static void write(Path file, long[] shape, float[] values) throws IOException {
        // NumPy's own spelling: (), (4,), (2, 3)
        String dims = java.util.Arrays.stream(shape).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(", "))
                + (shape.length == 1 ? "," : "");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = PREAMBLE_V1 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.US_ASCII));
        buf.asFloatBuffer().put(values);
        Files.write(file, buf.array());
    }

    /** A float32 array read back: shape and values. */
    public record Array(long[] shape, float[] values) {
    }

    public static Array read(Path file) throws IOException {
        return read(file, file.toString());
    }

    /** Reads {@code file}; errors name it as {@code shownAs} (e.g. the remote file a local copy came from). */
    public static Array read(Path file, String shownAs) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < PREAMBLE_V1) {
            throw Errors.damagedCheckpoint(shownAs, "the .npy file has " + bytes.length + " bytes, fewer than its "
                    + PREAMBLE_V1 + "-byte preamble", null);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (byte b : MAGIC) {
            if (buf.get() != b) {
                throw Errors.damagedCheckpoint(shownAs, "not a .npy file: it does not start with the bytes \\x93NUMPY", null);
            }
        }
        int major = buf.get();
        buf.get();
        if (major < 1 || major > 3) {
            throw Errors.damagedCheckpoint(shownAs, ".npy format version " + major + " in the preamble, expected 1, 2 or 3", null);
        }
        if (major > 1 && buf.remaining() < 4) {
            throw Errors.damagedCheckpoint(shownAs, "the .npy file ends inside its preamble", null);
        }
        long headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort()) : Integer.toUnsignedLong(buf.getInt());
        if (headerLen > buf.remaining()) {
            throw Errors.damagedCheckpoint(shownAs, "the .npy header says it is " + headerLen + " bytes long, but the file has only "
                    + buf.remaining() + " bytes after the preamble (truncated)", null);
        }
        String header = new String(bytes, buf.position(), (int) headerLen, StandardCharsets.US_ASCII);
        buf.position(buf.position() + (int) headerLen);
        if (!header.startsWith("{") || !header.contains("'descr'")) {
            throw Errors.damagedCheckpoint(shownAs, "the .npy header is not a NumPy header dictionary: " + printable(header), null);
        }
        if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
            throw Errors.corruptFile(shownAs, null, "expected a C-order little-endian float32 array, header " + printable(header),
                    "write arrays with numpy.save(np.ascontiguousarray(a, dtype='<f4'))");
        }
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw Errors.damagedCheckpoint(shownAs, "no shape in the .npy header " + printable(header), null);
        }
        long[] shape;
        try {
            shape = java.util.Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw Errors.damagedCheckpoint(shownAs, "unreadable shape (" + printable(m.group(1)) + ") in the .npy header", null);
        }
        long n = 1;
        for (long d : shape) {
            if (d < 0 || (d > 0 && n > Integer.MAX_VALUE / d)) {
                throw Errors.damagedCheckpoint(shownAs, "impossible shape (" + m.group(1).trim() + ") in the .npy header", null);
            }
            n *= d;
        }
        if (buf.remaining() != 4 * n) {
            throw Errors.damagedCheckpoint(shownAs, "its header promises " + n + " float32 values (" + 4 * n + " bytes), the file holds "
                    + buf.remaining() + " bytes of data" + (buf.remaining() < 4 * n ? " (truncated)" : ""), null);
        }
        float[] values = new float[(int) n];
        buf.asFloatBuffer().get(values);
        return new Array(shape, values);
    }

    /** At most 80 characters of a header, non-printable bytes as '?', for a message. */
    private static String printable(String header) {
        String t = header.trim();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(t.length(), 80); i++) {
            char c = t.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return "'" + out + (t.length() > 80 ? "...'" : "'");
    }
}
