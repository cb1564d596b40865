package org.vaespark.prep.pickle;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.errors.VaeException;

/**
 * Typed access to the values {@link SafeUnpickler} returns. Keys may be {@code str} (Python 3)
 * or {@code bytes} (Python 2 pickles, read as {@code byte[]}); a missing key or a value of the
 * wrong type is a {@link VaeException} naming the file, the key, what was expected and what was found.
 */
public final class Pickles {
    private static final String FIX = "use the official dataset file; it may be damaged or a different dataset";

    private Pickles() {
    }

    /** The value under {@code key} (as str, or as its UTF-8 bytes), or null when absent. */
    public static Object field(Map<?, ?> dict, String key) {
        if (dict.containsKey(key)) {
            return dict.get(key);
        }
        byte[] raw = key.getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (e.getKey() instanceof byte[] b && Arrays.equals(b, raw)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The root of a pickle that must be a dict. */
    public static Map<?, ?> dict(Object root, String name) {
        if (root instanceof Map<?, ?> m) {
            return m;
        }
        throw Errors.corruptFile(name, null, "the pickle holds " + describe(root) + ", expected a dict", FIX);
    }

    public static NdArray ndarray(Map<?, ?> dict, String key, String name) {
        Object v = required(dict, key, name);
        if (v instanceof NdArray a) {
            return a;
        }
        throw wrongType(key, name, "a numpy array", v);
    }

    /** A list or tuple under {@code key}. */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Map<?, ?> dict, String key, String name) {
        Object v = required(dict, key, name);
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw wrongType(key, name, "a list", v);
    }

    /** The bytes of a {@code |u1} numpy array under {@code key}. */
    public static byte[] uint8(Map<?, ?> dict, String key, String name) {
        NdArray a = ndarray(dict, key, name);
        if (!a.dtype().equals("|u1")) {
            throw Errors.corruptFile(name, "key '" + key + "'", "expected a numpy uint8 array (dtype '|u1'), found dtype '"
                    + a.dtype() + "'", FIX);
        }
        return a.data();
    }

    /** A list of ints (Long, Integer or BigInteger within the long range). */
    public static long[] longs(List<?> list, String key, String name) {
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            if (v instanceof Long || v instanceof Integer) {
                out[i] = ((Number) v).longValue();
            } else if (v instanceof BigInteger b && b.bitLength() < 64) {
                out[i] = b.longValue();
            } else {
                throw Errors.corruptFile(name, "key '" + key + "', item " + i, "expected an int, found " + describe(v),
                        FIX);
            }
        }
        return out;
    }

    /** A short description of a pickled value for error messages: its Python type and, if small, its value. */
    static String describe(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Map<?, ?> m) {
            return "a dict of " + m.size() + " entries";
        }
        if (v instanceof List<?> l) {
            return "a list/tuple of " + l.size() + " items";
        }
        if (v instanceof Set<?> s) {
            return "a set of " + s.size() + " items";
        }
        if (v instanceof String s) {
            return "the str '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (v instanceof byte[] b) {
            return "bytes of length " + b.length;
        }
        if (v instanceof Boolean || v instanceof Long || v instanceof BigInteger || v instanceof Double) {
            return "the " + (v instanceof Double ? "float " : v instanceof Boolean ? "bool " : "int ") + v;
        }
        if (v instanceof NdArray a) {
            return "a numpy array of dtype '" + a.dtype() + "' and shape " + Arrays.toString(a.shape());
        }
        if (v instanceof AllowedGlobal g) {
            return "the global " + g.module() + "." + g.qualname();
        }
        if (v instanceof NumpyCalls.Pending) {
            return "a numpy object whose state was never set";
        }
        if (v instanceof NumpyCalls.Dtype d) {
            return "the numpy dtype '" + d.str() + "'";
        }
        return v.getClass().getSimpleName();
    }

    private static Object required(Map<?, ?> dict, String key, String name) {
        Object v = field(dict, key);
        if (v == null) {
            throw Errors.corruptFile(name, "key '" + key + "'", "the pickled dict has no value for key '" + key + "' (keys: "
                    + keyNames(dict) + ")", FIX);
        }
        return v;
    }

    private static VaeException wrongType(String key, String name, String expected, Object found) {
        return Errors.corruptFile(name, "key '" + key + "'", "expected " + expected + ", found " + describe(found), FIX);
    }

    private static String keyNames(Map<?, ?> dict) {
        StringBuilder sb = new StringBuilder();
        for (Object k : dict.keySet()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(k instanceof byte[] b ? "b'" + new String(b, StandardCharsets.ISO_8859_1) + "'" : String.valueOf(k));
        }
        return sb.toString();
    }
}
