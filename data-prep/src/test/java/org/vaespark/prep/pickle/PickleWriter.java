package org.vaespark.prep.pickle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes dataset pickles with the exact opcode layout Python produces, for tests that need CIFAR-10
 * or ImageNet 64x64 files of any size:
 *
 * <ul>
 *   <li>{@link #writeCifarBatch}: Python 2 {@code cPickle} protocol 2 (PEP 307), as in the CIFAR-10
 *       "python version": str and bytes as SHORT_BINSTRING/BINSTRING, the array through
 *       {@code numpy.core.multiarray._reconstruct} and BUILD;</li>
 *   <li>{@link #writeImagenetBatch}: Python 3 protocol 4 (PEP 3154) with its framing rules (64 KiB
 *       frames; bytes of 64 KiB or more written outside any frame), as {@code pickle.dumps} writes
 *       {@code {'data': ndarray, 'labels': list}} with numpy 2.</li>
 * </ul>
 *
 * Memo numbering, batching of APPENDS/SETITEMS by 1000 and integer opcodes follow CPython's
 * {@code Lib/pickle.py}, so small outputs equal Python's byte for byte (see {@code PickleWriterTest}).
 */
public final class PickleWriter {
    private static final int BATCH = 1000;
    private static final int FRAME_TARGET = 64 * 1024;

    private final OutputStream out;
    private final boolean py2;
    private ByteArrayOutputStream frame;
    private final Map<String, Integer> strings = new HashMap<>();
    private int memo;

    private PickleWriter(OutputStream out, boolean py2) {
        this.out = out;
        this.py2 = py2;
    }

    /** A CIFAR-10 batch dict {b'batch_label', b'labels', b'data' (rows x cols uint8), b'filenames'}. */
    public static void writeCifarBatch(OutputStream out, String batchLabel, long[] labels, byte[] data, int rows,
                                       int cols, List<String> filenames) {
        PickleWriter w = new PickleWriter(out, true);
        w.raw(0x80, 2);
        w.raw('}');
        w.put();
        w.raw('(');
        w.bytes(ascii("batch_label"));
        w.bytes(ascii(batchLabel));
        w.bytes(ascii("labels"));
        w.intList(labels);
        w.bytes(ascii("data"));
        w.uint8Array(data, rows, cols);
        w.bytes(ascii("filenames"));
        w.raw(']');
        w.put();
        w.batched(filenames.size(), i -> w.bytes(ascii(filenames.get(i))), 'e', 'a');
        w.raw('u');
        w.raw('.');
        w.flush();
    }

    /** An ImageNet 64x64 batch dict {'data': rows x cols uint8, 'labels': list of ints}. */
    public static void writeImagenetBatch(OutputStream out, byte[] data, int rows, int cols, long[] labels) {
        PickleWriter w = new PickleWriter(out, false);
        w.raw(0x80, 4);
        w.frame = new ByteArrayOutputStream();
        w.boundary();
        w.raw('}');
        w.put();
        w.raw('(');
        w.str("data");
        w.uint8Array(data, rows, cols);
        w.str("labels");
        w.intList(labels);
        w.raw('u');
        w.raw('.');
        w.commit(true);
        w.flush();
    }

    public static byte[] cifarBatch(String batchLabel, long[] labels, byte[] data, int rows, int cols,
                                    List<String> filenames) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeCifarBatch(b, batchLabel, labels, data, rows, cols, filenames);
        return b.toByteArray();
    }

    public static byte[] imagenetBatch(byte[] data, int rows, int cols, long[] labels) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeImagenetBatch(b, data, rows, cols, labels);
        return b.toByteArray();
    }

    /** {@code save_reduce(_reconstruct, (ndarray, (0,), b'b'), state=(1, shape, dtype, False, data))}. */
    private void uint8Array(byte[] data, int rows, int cols) {
        boundary();
        global(py2 ? "numpy.core.multiarray" : "numpy._core.multiarray", "_reconstruct");
        global("numpy", "ndarray");
        integer(0);
        raw(0x85);
        put();
        bytes(new byte[] {'b'});
        raw(0x87);
        put();
        raw('R');
        put();
        boundary();
        raw('(');
        integer(1);
        boundary();
        integer(rows);
        integer(cols);
        raw(0x86);
        put();
        boundary();
        global("numpy", "dtype");
        str("u1");
        boundary();
        raw(0x89);
        boundary();
        raw(0x88, 0x87);
        put();
        raw('R');
        put();
        boundary();
        raw('(');
        integer(3);
        str("|");
        raw('N', 'N', 'N');
        integer(-1);
        integer(-1);
        integer(0);
        raw('t');
        put();
        raw('b');
        boundary();
        raw(0x89);
        bytes(data);
        raw('t');
        put();
        raw('b');
    }

    private void intList(long[] values) {
        boundary();
        raw(']');
        put();
        batched(values.length, i -> integer(values[i]), 'e', 'a');
    }

    private void batched(int n, java.util.function.IntConsumer save, int many, int one) {
        for (int start = 0; ; start += BATCH) {
            int k = Math.min(BATCH, n - start);
            if (k > 1) {
                raw('(');
                for (int i = start; i < start + k; i++) {
                    save.accept(i);
                }
                raw(many);
            } else if (k == 1) {
                save.accept(start);
                raw(one);
            }
            if (k < BATCH) {
                return;
            }
        }
    }

    private void global(String module, String name) {
        boundary();
        if (py2) {
            write(ascii("c" + module + "\n" + name + "\n"));
        } else {
            str(module);
            str(name);
            raw(0x93);
        }
        put();
    }

    /** A str: py2 SHORT_BINSTRING, py3 SHORT_BINUNICODE; identical strs are one memo entry (interned). */
    private void str(String s) {
        boundary();
        Integer seen = strings.get(s);
        if (seen != null) {
            get(seen);
            return;
        }
        byte[] b = s.getBytes(py2 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        if (py2) {
            bytesNoBoundary(b);
            strings.put(s, memo - 1);
            return;
        }
        raw(0x8c, b.length);
        write(b);
        strings.put(s, memo);
        put();
    }

    private void bytes(byte[] b) {
        boundary();
        bytesNoBoundary(b);
    }

    private void bytesNoBoundary(byte[] b) {
        int n = b.length;
        if (n < 256) {
            raw(py2 ? 'U' : 'C', n);
            write(b);
        } else if (!py2 && n >= FRAME_TARGET) {
            commit(true);
            direct(concat(new byte[] {'B'}, le(n, 4)));
            direct(b);
        } else {
            write(concat(new byte[] {(byte) (py2 ? 'T' : 'B')}, le(n, 4)));
            write(b);
        }
        put();
    }

    private void integer(long v) {
        boundary();
        if (v >= 0 && v <= 0xff) {
            raw('K', (int) v);
        } else if (v >= 0 && v <= 0xffff) {
            raw('M', (int) (v & 0xff), (int) (v >> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            write(concat(new byte[] {'J'}, le(v, 4)));
        } else {
            raw(0x8a, 8);
            write(le(v, 8));
        }
    }

    private void put() {
        if (!py2) {
            raw(0x94);
        } else if (memo < 256) {
            raw('q', memo);
        } else {
            write(concat(new byte[] {'r'}, le(memo, 4)));
        }
        memo++;
    }

    private void get(int index) {
        if (index < 256) {
            raw('h', index);
        } else {
            write(concat(new byte[] {'j'}, le(index, 4)));
        }
    }

    /** The start of Python's {@code save()}: a frame of 64 KiB or more is committed. */
    private void boundary() {
        if (frame != null && frame.size() >= FRAME_TARGET) {
            commit(true);
        }
    }

    private void commit(boolean force) {
        if (frame == null || !force) {
            return;
        }
        byte[] data = frame.toByteArray();
        frame = null;
        if (data.length >= 4) {
            write(concat(new byte[] {(byte) 0x95}, le(data.length, 8)));
        }
        write(data);
        frame = new ByteArrayOutputStream();
    }

    private void raw(int... ops) {
        byte[] b = new byte[ops.length];
        for (int i = 0; i < ops.length; i++) {
            b[i] = (byte) ops[i];
        }
        write(b);
    }

    private void write(byte[] b) {
        try {
            if (frame != null) {
                frame.write(b);
            } else {
                out.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Python's {@code write_large_bytes}: header and payload go outside any frame. */
    private void direct(byte[] b) {
        try {
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] le(long v, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (v >> (8 * i));
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
