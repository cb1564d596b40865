package org.vaespark.prep.pickle;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Decoding of the protocol-0 text arguments (INT, LONG, FLOAT, STRING, UNICODE) as CPython's
 * {@code Lib/pickle.py} reads them: decimal integers, {@code repr()} of floats, Python-escaped
 * byte strings and {@code raw-unicode-escape} text.
 */
final class TextValues {
    private TextValues() {
    }

    /** INT: a decimal integer; Python 2 wrote {@code 00} and {@code 01} for False and True. */
    static Object parseInt(String s) {
        if (s.equals("00")) {
            return Boolean.FALSE;
        }
        if (s.equals("01")) {
            return Boolean.TRUE;
        }
        return narrow(new BigInteger(s.strip()));
    }

    /** LONG: a decimal integer with an optional trailing {@code L}. */
    static Object parseLong(String s) {
        String t = s.strip();
        if (t.endsWith("L")) {
            t = t.substring(0, t.length() - 1);
        }
        return narrow(new BigInteger(t));
    }

    static double parseFloat(String s) {
        String t = s.strip().toLowerCase();
        switch (t) {
            case "inf", "+inf", "infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan", "+nan", "-nan":
                return Double.NaN;
            default:
                return Double.parseDouble(t);
        }
    }

    /** A Long when it fits, else the BigInteger itself. */
    static Object narrow(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /** LONG1/LONG4 payload: two's-complement little-endian. */
    static Object littleEndianSigned(byte[] b) {
        if (b.length == 0) {
            return 0L;
        }
        byte[] be = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            be[i] = b[b.length - 1 - i];
        }
        return narrow(new BigInteger(be));
    }

    /** STRING: a quoted Python 2 {@code repr()} of a byte string, escapes decoded. */
    static byte[] quotedBytes(byte[] line) {
        int n = line.length;
        if (n < 2 || (line[0] != '\'' && line[0] != '"') || line[n - 1] != line[0]) {
            throw new IllegalArgumentException("the STRING argument is not quoted");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        for (int i = 1; i < n - 1; i++) {
            int c = line[i] & 0xff;
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (++i >= n - 1) {
                throw new IllegalArgumentException("the STRING argument ends with a lone backslash");
            }
            int e = line[i];
            switch (e) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'a' -> out.write(7);
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'v' -> out.write(11);
                case '\n' -> { }
                case 'x' -> {
                    if (i + 2 >= n) {
                        throw new IllegalArgumentException("a \\x escape in the STRING argument is cut short");
                    }
                    out.write(Integer.parseInt(new String(line, i + 1, 2, StandardCharsets.ISO_8859_1), 16));
                    i += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = 0;
                        int k = 0;
                        while (k < 3 && i < n - 1 && line[i] >= '0' && line[i] <= '7') {
                            v = v * 8 + (line[i++] - '0');
                            k++;
                        }
                        i--;
                        out.write(v & 0xff);
                    } else {
                        out.write('\\');
                        out.write(e);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /** UNICODE: {@code raw-unicode-escape}, i.e. Latin-1 bytes with {@code \\uXXXX} and {@code \\UXXXXXXXX}. */
    static String rawUnicodeEscape(byte[] line) {
        StringBuilder sb = new StringBuilder(line.length);
        for (int i = 0; i < line.length; i++) {
            int c = line[i] & 0xff;
            if (c == '\\' && i + 1 < line.length && (line[i + 1] == 'u' || line[i + 1] == 'U')) {
                int digits = line[i + 1] == 'u' ? 4 : 8;
                if (i + 2 + digits > line.length) {
                    throw new IllegalArgumentException("a \\u escape in the UNICODE argument is cut short");
                }
                sb.appendCodePoint(Integer.parseInt(new String(line, i + 2, digits, StandardCharsets.ISO_8859_1), 16));
                i += 1 + digits;
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
