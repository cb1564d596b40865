package org.vaespark.core.tensor;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ordered set of named float32 arrays (row-major, with shapes): model parameters, Adam
 * moments, gradients. Plain Java arrays, so it serializes cheaply into Spark broadcasts and
 * task results, and converts to and from ND4J at the edges. Immutable once built.
 */
public final class NamedArrays implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, long[]> shapes;
    private final LinkedHashMap<String, float[]> values;

    private NamedArrays(LinkedHashMap<String, long[]> shapes, LinkedHashMap<String, float[]> values) {
        this.shapes = shapes;
        this.values = values;
    }

    /** Copies ND4J arrays (any dtype) into float32 row-major storage. */
    public static NamedArrays fromNd4j(Map<String, INDArray> arrays) {
        Builder b = builder();
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            INDArray a = e.getValue().castTo(DataType.FLOAT).dup('c');
            b.put(e.getKey(), a.shape(), a.data().asFloat());
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Same names and shapes, all zeros. */
    public NamedArrays zerosLike() {
        return map((name, v) -> new float[v.length]);
    }

    /** Applies {@code f(name, values)} to every array, keeping names and shapes. */
    public NamedArrays map(BiFunction<String, float[], float[]> f) {
        Builder b = builder();
        for (String name : names()) {
            float[] out = f.apply(name, values.get(name));
            b.put(name, shapes.get(name), out);
        }
        return b.build();
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(values.keySet());
    }

    public boolean contains(String name) {
        return values.containsKey(name);
    }

    /** The shape of {@code name} (a copy). */
    public long[] shape(String name) {
        return require(name, shapes).clone();
    }

    /** The values of {@code name}, row-major. Callers must not modify the returned array. */
    public float[] values(String name) {
        return require(name, values);
    }

    /** A fresh ND4J array holding {@code name}. */
    public INDArray toNd4j(String name) {
        return Nd4j.create(values(name).clone(), shape(name), 'c');
    }

    /** All arrays as fresh ND4J arrays, in order. */
    public Map<String, INDArray> toNd4j() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String name : names()) {
            out.put(name, toNd4j(name));
        }
        return out;
    }

    /** Total number of scalars. */
    public long size() {
        long n = 0;
        for (float[] v : values.values()) {
            n += v.length;
        }
        return n;
    }

    /** True if every value of every array is finite. */
    public boolean allFinite() {
        for (float[] v : values.values()) {
            for (float x : v) {
                if (!Float.isFinite(x)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True if both hold the same names, in the same order, with the same shapes. */
    public boolean sameLayout(NamedArrays other) {
        if (!List.copyOf(names()).equals(List.copyOf(other.names()))) {
            return false;
        }
        for (String name : names()) {
            if (!Arrays.equals(shapes.get(name), other.shapes.get(name))) {
                return false;
            }
        }
        return true;
    }

    /** Bit-for-bit equality of names, shapes and values. */
    public boolean identicalTo(NamedArrays other) {
        if (!sameLayout(other)) {
            return false;
        }
        for (String name : names()) {
            if (!Arrays.equals(values.get(name), other.values.get(name))) {
                return false;
            }
        }
        return true;
    }

    private static <T> T require(String name, Map<String, T> map) {
        T v = map.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no array named '" + name + "' (have " + map.keySet() + ")");
        }
        return v;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NamedArrays{");
        for (String name : names()) {
            sb.append(name).append(Arrays.toString(shapes.get(name))).append(' ');
        }
        return sb.append('}').toString();
    }

    /** Builds a {@link NamedArrays}, checking that each value array matches its shape. */
    public static final class Builder {
        private final LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
        private final LinkedHashMap<String, float[]> values = new LinkedHashMap<>();

        public Builder put(String name, long[] shape, float[] data) {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("array '" + name + "': shape " + Arrays.toString(shape)
                        + " needs " + n + " values, got " + data.length);
            }
            if (values.containsKey(name)) {
                throw new IllegalArgumentException("duplicate array name '" + name + "'");
            }
            shapes.put(name, shape.clone());
            values.put(name, data);
            return this;
        }

        public NamedArrays build() {
            return new NamedArrays(new LinkedHashMap<>(shapes), new LinkedHashMap<>(values));
        }
    }
}
