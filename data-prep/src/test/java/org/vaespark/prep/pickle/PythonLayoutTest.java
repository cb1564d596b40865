package org.vaespark.prep.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Pickles written by CPython and numpy (see {@link PythonPickles}) read back to the values Python pickled. */
class PythonLayoutTest {
    static Map<?, ?> load(String hex) {
        return Pickles.dict(SafeUnpickler.load(new ByteArrayInputStream(PythonPickles.bytes(hex)), "ref.pkl"), "ref.pkl");
    }

    @ParameterizedTest
    @ValueSource(strings = {"P2", "P3", "P4", "P5", "NUMPY1_P4"})
    void simpleDictInEveryProtocol(String constant) throws Exception {
        Map<?, ?> d = load((String) PythonPickles.class.getDeclaredField(constant).get(null));
        assertEquals(List.of("data", "labels"), List.copyOf(d.keySet()));
        assertEquals(new NdArray("|u1", new long[] {2, 3}, false, new byte[] {0, 1, 2, 3, 4, 5}),
                Pickles.ndarray(d, "data", "ref.pkl"));
        assertArrayEquals(new long[] {1, 2}, Pickles.longs(Pickles.list(d, "labels", "ref.pkl"), "labels", "ref.pkl"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CIFAR_PY2", "CIFAR_PY3_P2"})
    void cifarStyleBytesKeys(String constant) throws Exception {
        Map<?, ?> d = load((String) PythonPickles.class.getDeclaredField(constant).get(null));
        assertTrue(d.keySet().stream().allMatch(k -> k instanceof byte[]));
        assertArrayEquals("training batch 1 of 5".getBytes(), (byte[]) Pickles.field(d, "batch_label"));
        assertArrayEquals(new long[] {6, 9}, Pickles.longs(Pickles.list(d, "labels", "x"), "labels", "x"));
        NdArray data = Pickles.ndarray(d, "data", "x");
        assertArrayEquals(new long[] {2, 6}, data.shape());
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, data.asUint8());
        List<Object> names = Pickles.list(d, "filenames", "x");
        assertArrayEquals("a.png".getBytes(), (byte[]) names.get(0));
        assertArrayEquals("b.png".getBytes(), (byte[]) names.get(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TYPED_P4", "TYPED_P5"})
    void typedFortranAndBigEndianArrays(String constant) throws Exception {
        Map<?, ?> d = load((String) PythonPickles.class.getDeclaredField(constant).get(null));
        NdArray i8 = Pickles.ndarray(d, "i8", "x");
        assertEquals("<i8", i8.dtype());
        assertArrayEquals(new long[] {2, 2}, i8.shape());
        assertArrayEquals(new long[] {1, -2, 3, 1L << 40}, i8.asLongs());
        NdArray f4 = Pickles.ndarray(d, "f4", "x");
        assertEquals("<f4", f4.dtype());
        assertArrayEquals(new double[] {0.5, -1.25, Double.POSITIVE_INFINITY}, f4.asDoubles());
        NdArray fortran = Pickles.ndarray(d, "fortran", "x");
        assertTrue(fortran.fortranOrder());
        assertArrayEquals(new byte[] {0, 3, 1, 4, 2, 5}, fortran.data());
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5}, fortran.toCOrder().data());
        NdArray be = Pickles.ndarray(d, "be", "x");
        assertEquals(">i4", be.dtype());
        assertArrayEquals(new int[] {1, 258}, be.asInts());
        assertEquals(7L, Pickles.field(d, "scalar"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"VALUES_P0", "VALUES_P2"})
    void plainValues(String constant) throws Exception {
        Map<?, ?> d = load((String) PythonPickles.class.getDeclaredField(constant).get(null));
        assertEquals("h\u00e9llo \u20ac", d.get("s"));
        assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) d.get("b"));
        assertArrayEquals(new byte[0], (byte[]) d.get("e"));
        assertEquals(BigInteger.ONE.shiftLeft(70), d.get("big"));
        assertEquals(-5L, d.get("neg"));
        assertEquals(1.5, d.get("f"));
        assertEquals(List.of(1L, "a"), d.get("t"));
        assertTrue(d.containsKey("n"));
        assertNull(d.get("n"));
        assertEquals(Boolean.TRUE, d.get("yes"));
        assertEquals(List.of(List.of(1L), List.of(2L, 3L)), d.get("nested"));
        assertEquals(0, Pickles.ndarray(d, "empty", "x").size());
    }

    @Test
    void bytesKeysAreFoundByTheirStrName() {
        Map<?, ?> d = load(PythonPickles.CIFAR_PY2);
        assertNull(Pickles.field(d, "missing"));
        assertFalse(d.containsKey("data"));
    }
}
