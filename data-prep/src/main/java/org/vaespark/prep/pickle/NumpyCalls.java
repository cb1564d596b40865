package org.vaespark.prep.pickle;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Java implementations of the {@link AllowedGlobal}s, following numpy's pickling format
 * ({@code numpy/_core/src/multiarray/methods.c: array_reduce_ex / array_setstate} and
 * {@code descriptor.c: arraydescr_reduce / arraydescr_setstate}):
 *
 * <ul>
 *   <li>an array is {@code _reconstruct(ndarray, (0,), b'b')} then BUILD with
 *       {@code (version, shape, dtype, is_fortran, rawdata)};</li>
 *   <li>a dtype is {@code dtype('u1', False, True)} then BUILD with
 *       {@code (3, '|', None, None, None, -1, -1, 0)}, the byte order at index 1;</li>
 *   <li>protocol 5 writes {@code _frombuffer(buffer, dtype, shape, order)} with an in-band buffer.</li>
 * </ul>
 *
 * Objects awaiting their BUILD are {@link Pending}; they remember the memo slots they were stored in
 * so that BUILD can replace them there too.
 */
final class NumpyCalls {
    private NumpyCalls() {
    }

    /** An object created by REDUCE whose state arrives with the following BUILD. */
    abstract static class Pending {
        final List<Long> memoKeys = new ArrayList<>(1);
    }

    static final class PendingArray extends Pending {
    }

    static final class PendingDtype extends Pending {
        final char kind;
        final int itemSize;
        final String typestr;

        PendingDtype(String typestr, char kind, int itemSize) {
            this.typestr = typestr;
            this.kind = kind;
            this.itemSize = itemSize;
        }
    }

    /** A built dtype in numpy's {@code dtype.str} form, e.g. {@code "<f4"}. */
    record Dtype(String str) {
    }

    /** Calls an allowed global with the REDUCE arguments. */
    static Object reduce(AllowedGlobal target, List<?> args, Site at) {
        return switch (target) {
            case RECONSTRUCT -> {
                if (args.size() != 3 || args.get(0) != AllowedGlobal.NDARRAY) {
                    throw at.unsupported("_reconstruct is called for something other than a plain numpy.ndarray");
                }
                yield new PendingArray();
            }
            case DTYPE -> dtype(args, at);
            case FROMBUFFER -> fromBuffer(args, at);
            case SCALAR -> scalar(args, at);
            case CODECS_ENCODE -> latin1(args, at);
            case BYTES -> {
                if (!args.isEmpty()) {
                    throw at.unsupported("bytes() is called with arguments");
                }
                yield new byte[0];
            }
            case NDARRAY -> throw at.unsupported("numpy.ndarray is called directly, not through _reconstruct");
        };
    }

    /** BUILD: sets the state of a pending array or dtype and returns the finished value. */
    static Object build(Object target, Object state, Site at) {
        if (target instanceof PendingArray) {
            return arrayState(state, at);
        }
        if (target instanceof PendingDtype d) {
            return dtypeState(d, state, at);
        }
        throw at.unsupported("BUILD sets the state of a " + Pickles.describe(target));
    }

    private static PendingDtype dtype(List<?> args, Site at) {
        String typestr = args.isEmpty() ? null : Site.str(args.get(0));
        if (typestr == null || typestr.isEmpty()) {
            throw at.corrupt("numpy.dtype is called without a type string");
        }
        char kind = typestr.charAt(0);
        if (kind == 'O') {
            throw at.unsupported("the pickle holds a numpy object array (dtype 'O')");
        }
        if ("biufcSUV".indexOf(kind) < 0) {
            throw at.unsupported("the pickle holds a numpy array of dtype '" + typestr + "'");
        }
        int size;
        try {
            size = Integer.parseInt(typestr.substring(1));
        } catch (NumberFormatException e) {
            throw at.unsupported("the pickle holds a numpy array of dtype '" + typestr + "'");
        }
        return new PendingDtype(typestr, kind, size);
    }

    private static Dtype dtypeState(PendingDtype d, Object state, Site at) {
        List<?> s = at.tuple(state, "the numpy dtype state");
        String order = s.size() < 8 ? null : Site.str(s.get(1));
        if (order == null || order.length() != 1 || "<>|".indexOf(order) < 0) {
            throw at.unsupported("the numpy dtype state " + Pickles.describe(state) + " is not the version-3/4 form"
                    + " (3, '<'|'>'|'|', None, None, None, -1, -1, 0)");
        }
        if (s.get(2) != null || s.get(3) != null || s.get(4) != null) {
            throw at.unsupported("the pickle holds a structured or sub-array numpy dtype ('" + d.typestr + "')");
        }
        return new Dtype(order + d.typestr);
    }

    private static NdArray arrayState(Object state, Site at) {
        List<?> s = at.tuple(state, "the numpy array state");
        if (s.size() == 5) {
            s = s.subList(1, 5);
        }
        if (s.size() != 4) {
            throw at.corrupt("the numpy array state has " + s.size() + " items, expected 5"
                    + " (version, shape, dtype, is_fortran, rawdata)");
        }
        Dtype dtype = at.dtype(s.get(1));
        boolean fortran = truth(s.get(2), at);
        if (s.get(3) instanceof List) {
            throw at.unsupported("the pickle holds a numpy object array");
        }
        return array(dtype, at.shape(s.get(0)), fortran, at.bytes(s.get(3), "the numpy array data"), at);
    }

    private static NdArray fromBuffer(List<?> args, Site at) {
        if (args.size() != 4) {
            throw at.corrupt("_frombuffer is called with " + args.size() + " arguments, expected 4"
                    + " (buffer, dtype, shape, order)");
        }
        byte[] data = at.bytes(args.get(0), "the numpy buffer");
        Dtype dtype = at.dtype(args.get(1));
        String order = Site.str(args.get(3));
        if (!"C".equals(order) && !"F".equals(order)) {
            throw at.corrupt("_frombuffer order is " + Pickles.describe(order) + ", expected 'C' or 'F'");
        }
        return array(dtype, at.shape(args.get(2)), "F".equals(order), data, at);
    }

    private static NdArray array(Dtype dtype, long[] shape, boolean fortran, byte[] data, Site at) {
        try {
            return new NdArray(dtype.str(), shape, fortran, data);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw at.corrupt("the numpy array data does not match its shape and dtype: " + e.getMessage());
        }
    }

    private static Object scalar(List<?> args, Site at) {
        if (args.size() != 2) {
            throw at.corrupt("numpy scalar() is called with " + args.size() + " arguments, expected 2");
        }
        NdArray one = array(at.dtype(args.get(0)), new long[0], false, at.bytes(args.get(1), "the numpy scalar"), at);
        try {
            return switch (one.kind()) {
                case 'b' -> one.asLongs()[0] != 0;
                case 'f' -> one.asDoubles()[0];
                case 'i', 'u' -> unsignedAware(one);
                default -> throw at.unsupported("the pickle holds a numpy scalar of dtype '" + one.dtype() + "'");
            };
        } catch (IllegalStateException e) {
            throw at.unsupported("the pickle holds a numpy scalar of dtype '" + one.dtype() + "'");
        }
    }

    private static Object unsignedAware(NdArray one) {
        if (one.dtype().endsWith("u8")) {
            byte[] be = one.data().clone();
            if (one.dtype().charAt(0) != '>') {
                for (int i = 0; i < 4; i++) {
                    byte t = be[i];
                    be[i] = be[7 - i];
                    be[7 - i] = t;
                }
            }
            return TextValues.narrow(new BigInteger(1, be));
        }
        return one.asLongs()[0];
    }

    private static byte[] latin1(List<?> args, Site at) {
        if (args.size() != 2 || !(args.get(0) instanceof String text) || !(args.get(1) instanceof String encoding)) {
            throw at.unsupported("_codecs.encode is called with " + Pickles.describe(args) + ", not (str, 'latin1')");
        }
        if (!encoding.equalsIgnoreCase("latin1") && !encoding.equalsIgnoreCase("latin-1")) {
            throw at.unsupported("_codecs.encode is called with encoding '" + encoding + "', not 'latin1'");
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xff) {
                throw at.corrupt("_codecs.encode(..., 'latin1') is given a character above U+00FF");
            }
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean truth(Object v, Site at) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        throw at.corrupt("the numpy is_fortran flag is " + Pickles.describe(v) + ", expected a bool");
    }

    /** Where a call happens, for errors, and the argument checks shared by the calls. */
    record Site(String name, long offset) {
        RuntimeException corrupt(String what) {
            return PickleErrors.corrupt(name, offset, what);
        }

        RuntimeException unsupported(String what) {
            return PickleErrors.unsupported(name, offset, what);
        }

        List<?> tuple(Object v, String what) {
            if (v instanceof List<?> l) {
                return l;
            }
            throw corrupt(what + " is " + Pickles.describe(v) + ", expected a tuple");
        }

        Dtype dtype(Object v) {
            if (v instanceof Dtype d) {
                return d;
            }
            throw corrupt("a numpy dtype was expected, found " + Pickles.describe(v));
        }

        /** A str argument; Python 2 pickles hold str as bytes (Latin-1 here, as numpy's names are ASCII). */
        static String str(Object v) {
            if (v instanceof String s) {
                return s;
            }
            return v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : null;
        }

        byte[] bytes(Object v, String what) {
            if (v instanceof byte[] b) {
                return b;
            }
            throw corrupt(what + " is " + Pickles.describe(v) + ", expected bytes");
        }

        long[] shape(Object v) {
            List<?> dims = tuple(v, "the numpy shape");
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                if (!(dims.get(i) instanceof Long d) || d < 0) {
                    throw corrupt("the numpy shape " + Pickles.describe(v) + " is not a tuple of non-negative ints");
                }
                shape[i] = d;
            }
            return shape;
        }
    }
}
