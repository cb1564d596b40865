package org.vaespark.prep.source;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes pickles in the layout of the CIFAR-10 python batches (Krizhevsky 2009) and the Imagenet64
 * batches (Chrabaszcz et al. 2017), as Python 2 cPickle protocol 2 writes them: a dict of str keys
 * whose {@code data} is a numpy array rebuilt by {@code numpy.core.multiarray._reconstruct} and whose
 * {@code labels} is a list of ints. Tests only; the variants make deliberately wrong files.
 */
final class TestPickles {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private TestPickles() {
    }

    /** {@code {'data': uint8 array rows x cols, 'labels': [...]}}. */
    static byte[] batch(byte[] data, int rows, int cols, long[] labels) {
        return batch("data", data, new long[] {rows, cols}, "u1", "labels", labels);
    }

    static byte[] batch(String dataKey, byte[] data, long[] shape, String dtype, String labelsKey, long[] labels) {
        TestPickles p = new TestPickles();
        p.op(0x80).op(2).op('}').op('(');
        p.str(dataKey).ndarray(data, shape, dtype);
        p.str(labelsKey).op(']').op('(');
        for (long l : labels) {
            p.intOp(l);
        }
        p.op('e').op('u').op('.');
        return p.out.toByteArray();
    }

    private TestPickles ndarray(byte[] data, long[] shape, String dtype) {
        global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").intOp(0).op(0x85).str("b").op(0x87).op('R');
        op('(').intOp(1).op('(');
        for (long s : shape) {
            intOp(s);
        }
        op('t');
        global("numpy", "dtype").str(dtype).intOp(0).intOp(1).op(0x87).op('R');
        op('(').intOp(3).str("|").op('N').op('N').op('N').intOp(-1).intOp(-1).intOp(0).op('t').op('b');
        op(0x89);
        op('T').int32(data.length);
        out.writeBytes(data);
        return op('t').op('b');
    }

    private TestPickles global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    private TestPickles str(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        op('U').op(b.length);
        out.writeBytes(b);
        return this;
    }

    private TestPickles intOp(long v) {
        if (v >= 0 && v < 256) {
            return op('K').op((int) v);
        }
        return op('J').int32((int) v);
    }

    private TestPickles int32(int v) {
        return op(v & 0xFF).op((v >>> 8) & 0xFF).op((v >>> 16) & 0xFF).op((v >>> 24) & 0xFF);
    }

    private TestPickles op(int b) {
        out.write(b);
        return this;
    }
}
