package org.vaespark.prep.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link PickleWriter} writes what Python writes, byte for byte, and {@link SafeUnpickler} reads it back. */
class PickleWriterTest {
    @Test
    void cifarBatchEqualsPython2LayoutByteForByte() {
        byte[] data = new byte[12];
        for (int i = 0; i < 12; i++) {
            data[i] = (byte) i;
        }
        byte[] ours = PickleWriter.cifarBatch("training batch 1 of 5", new long[] {6, 9}, data, 2, 6,
                List.of("a.png", "b.png"));
        assertEquals(PythonPickles.CIFAR_PY2, HexFormat.of().formatHex(ours));
    }

    @Test
    void imagenetBatchEqualsPython3Protocol4ByteForByte() {
        byte[] ours = PickleWriter.imagenetBatch(new byte[] {0, 1, 2, 3, 4, 5}, 2, 3, new long[] {1, 2});
        assertEquals(PythonPickles.P4, HexFormat.of().formatHex(ours));
    }

    /**
     * SHA-256 from Python (the Py2 pickler of {@link PythonPickles#CIFAR_PY2}): labels (i * 7) % 10, data
     * (np.arange(1200 * 3) % 251) as uint8 1200x3, filenames b'img_%05d.png' % i — 1000-item batches,
     * LONG_BINPUT memo indices and BINSTRING.
     */
    @Test
    void largeCifarBatchMatchesPythonDigest() throws Exception {
        int rows = 1200;
        long[] labels = new long[rows];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            labels[i] = (i * 7L) % 10;
            names.add(String.format("img_%05d.png", i));
        }
        byte[] ours = PickleWriter.cifarBatch("training batch 1 of 5", labels, ramp(rows * 3), rows, 3, names);
        assertEquals(29544, ours.length);
        assertEquals("fe4a5037dd398349a646f8e359e4218f90d6d4ef036b24e22edeb1883a4d308d", sha256(ours));
        Map<?, ?> d = Pickles.dict(SafeUnpickler.load(new ByteArrayInputStream(ours), "c.pkl"), "c.pkl");
        assertArrayEquals(labels, Pickles.longs(Pickles.list(d, "labels", "c.pkl"), "labels", "c.pkl"));
        assertArrayEquals(ramp(rows * 3), Pickles.uint8(d, "data", "c.pkl"));
        assertArrayEquals("img_01199.png".getBytes(), (byte[]) Pickles.list(d, "filenames", "c.pkl").get(rows - 1));
    }

    /**
     * SHA-256 from Python: pickle.dumps({'data': (np.arange(rows * cols) % 251).astype(np.uint8).reshape(rows, cols),
     * 'labels': [1 + (i * 37) % 1000 for i in range(n)]}, protocol=4) — data of 64 KiB or more outside any frame
     * (12x12288), and a frame committed in the middle of the labels (5x12000, 30000 labels).
     */
    @Test
    void largeImagenetBatchesMatchPythonFraming() throws Exception {
        checkImagenet(12, 12288, 1201, 150941, "43056cab66ce1726873249b854be2423d0ca5f3c1bddf1685a8b65f4d91e5ed4");
        checkImagenet(5, 12000, 30000, 142604, "7cce6ef910162db36b29f51644ad13508cc526d7f1463f98c905d17187c93d76");
    }

    private static void checkImagenet(int rows, int cols, int n, int length, String digest) throws Exception {
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = 1 + (i * 37L) % 1000;
        }
        byte[] ours = PickleWriter.imagenetBatch(ramp(rows * cols), rows, cols, labels);
        assertEquals(length, ours.length);
        assertEquals(digest, sha256(ours));
        Map<?, ?> d = Pickles.dict(SafeUnpickler.load(new ByteArrayInputStream(ours), "i.pkl"), "i.pkl");
        assertArrayEquals(new long[] {rows, cols}, Pickles.ndarray(d, "data", "i.pkl").shape());
        assertArrayEquals(ramp(rows * cols), Pickles.uint8(d, "data", "i.pkl"));
        assertArrayEquals(labels, Pickles.longs(Pickles.list(d, "labels", "i.pkl"), "labels", "i.pkl"));
    }

    private static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
