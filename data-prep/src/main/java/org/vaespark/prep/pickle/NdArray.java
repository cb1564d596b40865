package org.vaespark.prep.pickle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A numpy array read from a pickle: the dtype in numpy's {@code dtype.str} form ({@code "|u1"},
 * {@code "<i8"}, {@code ">f4"}: byte order, kind, item size), the shape, whether the bytes are in
 * Fortran (column-major) order, and the raw element bytes exactly as numpy stored them.
 *
 * <p>{@link #data()} is the array the pickle was read into, not a copy; {@link #asUint8()} returns it
 * too. The typed helpers decode in storage order; call {@link #toCOrder()} first for row-major order.
 */
public record NdArray(String dtype, long[] shape, boolean fortranOrder, byte[] data) {
    public NdArray {
        if (dtype == null || dtype.length() < 3 || "<>|".indexOf(dtype.charAt(0)) < 0) {
            throw new IllegalArgumentException("dtype must look like '|u1' or '<f4', found " + dtype);
        }
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        long expected = Math.multiplyExact(n, itemSize(dtype));
        if (data.length != expected) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of dtype " + dtype + " needs "
                    + expected + " bytes, found " + data.length);
        }
    }

    /** The number of elements (the product of the shape). */
    public long size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** numpy's {@code dtype.kind}: {@code b}ool, {@code i}nt, {@code u}nsigned, {@code f}loat, ... */
    public char kind() {
        return dtype.charAt(1);
    }

    public int itemSize() {
        return itemSize(dtype);
    }

    /** The bytes of a {@code |u1} array, in storage order (the backing array, not a copy). */
    public byte[] asUint8() {
        if (!dtype.equals("|u1")) {
            throw new IllegalStateException("expected a numpy uint8 array (dtype '|u1'), found dtype '" + dtype + "'");
        }
        return data;
    }

    /** The elements of an integer or bool array as longs; uint64 values above 2^63-1 are rejected. */
    public long[] asLongs() {
        char k = kind();
        if (k != 'i' && k != 'u' && k != 'b') {
            throw new IllegalStateException("expected an integer numpy array, found dtype '" + dtype + "'");
        }
        int size = itemSize();
        ByteBuffer buf = buffer();
        long[] out = new long[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) {
            long v = switch (size) {
                case 1 -> k == 'i' ? buf.get() : buf.get() & 0xffL;
                case 2 -> k == 'i' ? buf.getShort() : buf.getShort() & 0xffffL;
                case 4 -> k == 'i' ? buf.getInt() : buf.getInt() & 0xffffffffL;
                case 8 -> buf.getLong();
                default -> throw new IllegalStateException("unsupported integer item size in dtype '" + dtype + "'");
            };
            if (size == 8 && k == 'u' && v < 0) {
                throw new IllegalStateException("element " + i + " of a uint64 array is above 2^63-1");
            }
            out[i] = v;
        }
        return out;
    }

    /** The elements of an integer or bool array as ints; a value outside the int range is an error. */
    public int[] asInts() {
        long[] longs = asLongs();
        int[] out = new int[longs.length];
        for (int i = 0; i < longs.length; i++) {
            if (longs[i] != (int) longs[i]) {
                throw new IllegalStateException("element " + i + " (" + longs[i] + ") of the " + dtype
                        + " array does not fit in an int");
            }
            out[i] = (int) longs[i];
        }
        return out;
    }

    /** The elements of a float32/float64 (or integer) array as doubles. */
    public double[] asDoubles() {
        char k = kind();
        if (k != 'f') {
            long[] longs = asLongs();
            double[] out = new double[longs.length];
            for (int i = 0; i < longs.length; i++) {
                out[i] = longs[i];
            }
            return out;
        }
        ByteBuffer buf = buffer();
        double[] out = new double[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (itemSize()) {
                case 4 -> buf.getFloat();
                case 8 -> buf.getDouble();
                default -> throw new IllegalStateException("unsupported float item size in dtype '" + dtype + "'");
            };
        }
        return out;
    }

    /** The same array with its bytes in C (row-major) order; {@code this} when already so. */
    public NdArray toCOrder() {
        if (!fortranOrder) {
            return this;
        }
        int nd = shape.length;
        int item = itemSize();
        long n = size();
        if (nd <= 1 || n <= 1) {
            return new NdArray(dtype, shape, false, data);
        }
        long[] fStride = new long[nd];
        fStride[0] = item;
        for (int j = 1; j < nd; j++) {
            fStride[j] = fStride[j - 1] * shape[j - 1];
        }
        byte[] out = new byte[data.length];
        long[] index = new long[nd];
        long src = 0;
        for (long c = 0; c < n; c++) {
            System.arraycopy(data, (int) src, out, (int) (c * item), item);
            for (int j = nd - 1; j >= 0; j--) {
                index[j]++;
                src += fStride[j];
                if (index[j] < shape[j]) {
                    break;
                }
                src -= fStride[j] * shape[j];
                index[j] = 0;
            }
        }
        return new NdArray(dtype, shape, false, out);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NdArray a && dtype.equals(a.dtype) && Arrays.equals(shape, a.shape)
                && fortranOrder == a.fortranOrder && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NdArray[dtype=" + dtype + ", shape=" + Arrays.toString(shape) + ", fortranOrder=" + fortranOrder
                + ", " + data.length + " bytes]";
    }

    private ByteBuffer buffer() {
        return ByteBuffer.wrap(data).order(dtype.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    /** Item size of a dtype string: the digits after the kind; numpy's {@code U} counts 4-byte characters. */
    static int itemSize(String dtype) {
        int n;
        try {
            n = Integer.parseInt(dtype.substring(2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dtype '" + dtype + "' has no item size", e);
        }
        return dtype.charAt(1) == 'U' ? Math.multiplyExact(n, 4) : n;
    }
}
