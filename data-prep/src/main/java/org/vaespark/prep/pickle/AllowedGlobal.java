package org.vaespark.prep.pickle;

import java.util.Map;

/**
 * The only globals a pickle may name. Each is a marker that {@link NumpyCalls} implements in Java;
 * nothing is ever looked up by name, loaded or invoked reflectively. The names are those numpy 1.x
 * ({@code numpy.core}) and 2.x ({@code numpy._core}) write from {@code ndarray.__reduce_ex__} and
 * {@code dtype.__reduce__}, plus the two builtins Python 3 uses for bytes in protocols below 3.
 */
enum AllowedGlobal {
    /** {@code numpy.core.multiarray._reconstruct(ndarray, (0,), b'b')}, followed by BUILD with the array state. */
    RECONSTRUCT("numpy._core.multiarray", "_reconstruct"),
    /** {@code numpy.ndarray}: only as the first argument of {@link #RECONSTRUCT}. */
    NDARRAY("numpy", "ndarray"),
    /** {@code numpy.dtype('u1', False, True)}, followed by BUILD with the byte order. */
    DTYPE("numpy", "dtype"),
    /** {@code numpy.core.numeric._frombuffer(buffer, dtype, shape, order)}: protocol 5 (PEP 574). */
    FROMBUFFER("numpy._core.numeric", "_frombuffer"),
    /** {@code numpy.core.multiarray.scalar(dtype, bytes)}: a numpy scalar such as {@code np.int64(3)}. */
    SCALAR("numpy._core.multiarray", "scalar"),
    /** {@code _codecs.encode(str, 'latin1')}: Python 3's protocol-2 encoding of bytes. */
    CODECS_ENCODE("_codecs", "encode"),
    /** {@code bytes()}: Python 3's protocol-2 encoding of an empty bytes object. */
    BYTES("builtins", "bytes");

    private static final Map<String, AllowedGlobal> BY_NAME = Map.ofEntries(
            Map.entry("numpy.core.multiarray:_reconstruct", RECONSTRUCT),
            Map.entry("numpy._core.multiarray:_reconstruct", RECONSTRUCT),
            Map.entry("numpy:ndarray", NDARRAY),
            Map.entry("numpy:dtype", DTYPE),
            Map.entry("numpy.core.numeric:_frombuffer", FROMBUFFER),
            Map.entry("numpy._core.numeric:_frombuffer", FROMBUFFER),
            Map.entry("numpy.core.multiarray:scalar", SCALAR),
            Map.entry("numpy._core.multiarray:scalar", SCALAR),
            Map.entry("_codecs:encode", CODECS_ENCODE),
            Map.entry("__builtin__:bytes", BYTES),
            Map.entry("builtins:bytes", BYTES));

    private final String module;
    private final String qualname;

    AllowedGlobal(String module, String qualname) {
        this.module = module;
        this.qualname = qualname;
    }

    /** The allowed global with this exact module and name, or null. */
    static AllowedGlobal lookup(String module, String qualname) {
        return BY_NAME.get(module + ":" + qualname);
    }

    String module() {
        return module;
    }

    String qualname() {
        return qualname;
    }
}
