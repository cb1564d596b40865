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
 * C order), so checkpoint arrays open with {@code numpy.load} as they are.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    public static void write(Path file, long[] shape, float[] values) throws IOException {
        // NumPy's own spelling: (), (4,), (2, 3)
        String dims = java.util.Arrays.stream(shape).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(", "))
                + (shape.length == 1 ? "," : "");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
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
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (byte b : MAGIC) {
            if (buf.remaining() == 0 || buf.get() != b) {
                throw Errors.corruptFile(file.toString(), null, "not a .npy file (bad magic)", "restore the file from the run that wrote it");
            }
        }
        int major = buf.get();
        buf.get();
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
        String header = new String(bytes, buf.position(), headerLen, StandardCharsets.US_ASCII);
        buf.position(buf.position() + headerLen);
        if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
            throw Errors.corruptFile(file.toString(), null, "expected a C-order little-endian float32 array, header " + header.trim(),
                    "write arrays with numpy.save(np.ascontiguousarray(a, dtype='<f4'))");
        }
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw Errors.corruptFile(file.toString(), null, "no shape in .npy header", "restore the file");
        }
        String[] parts = m.group(1).split(",");
        long[] shape = java.util.Arrays.stream(parts).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (buf.remaining() != 4 * n) {
            throw Errors.corruptFile(file.toString(), null, "expected " + n + " float32 values, found " + buf.remaining() + " bytes",
                    "the file is truncated; restore it");
        }
        float[] values = new float[(int) n];
        buf.asFloatBuffer().get(values);
        return new Array(shape, values);
    }
}
