package org.vaespark.core.kernel;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Every parameter of a model (Kingma &amp; Welling 2014) at an offset of one flat float buffer, in
 * the graph's declaration order: the dense path keeps parameters, gradients and Adam's moments
 * (Kingma &amp; Ba 2015) flat, so one pass updates them all, and reads each weight matrix as a view.
 * Names and shapes are exactly those of {@link ParameterLayout}.
 */
public final class DenseLayout {
    private final Map<String, long[]> shapes;
    private final Map<String, Integer> offsets = new LinkedHashMap<>();
    private final int total;

    public DenseLayout(ParameterLayout layout) {
        this.shapes = layout.shapes();
        int at = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            offsets.put(e.getKey(), at);
            at += length(e.getValue());
        }
        this.total = at;
    }

    /** Number of floats in the flat buffer. */
    public int total() {
        return total;
    }

    public int offset(String name) {
        Integer at = offsets.get(name);
        if (at == null) {
            throw new IllegalArgumentException("no parameter " + name + " in " + offsets.keySet());
        }
        return at;
    }

    public int length(String name) {
        offset(name);
        return length(shapes.get(name));
    }

    /** The arrays concatenated in layout order; names and shapes must be the layout's. */
    public float[] flatten(NamedArrays arrays) {
        if (!arrays.names().equals(offsets.keySet())) {
            throw new IllegalArgumentException("arrays " + arrays.names() + " do not match the layout " + offsets.keySet());
        }
        float[] flat = new float[total];
        for (String name : offsets.keySet()) {
            float[] v = arrays.values(name);
            if (v.length != length(name)) {
                throw new IllegalArgumentException(name + ": " + v.length + " values, expected " + length(name));
            }
            System.arraycopy(v, 0, flat, offset(name), v.length);
        }
        return flat;
    }

    /** The inverse of {@link #flatten}: one named array per parameter, copied out of {@code flat}. */
    public NamedArrays split(float[] flat) {
        NamedArrays.Builder b = NamedArrays.builder();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            int at = offset(e.getKey());
            float[] v = new float[length(e.getValue())];
            System.arraycopy(flat, at, v, 0, v.length);
            b.put(e.getKey(), e.getValue(), v);
        }
        return b.build();
    }

    /** A view of parameter {@code name} in a flat native array: [in, out] for a weight, [1, n] for a vector. */
    public INDArray view(INDArray flat, String name) {
        long[] shape = shapes.get(name);
        int at = offset(name);
        INDArray v = flat.get(NDArrayIndex.interval(at, at + length(shape)));
        return shape.length == 2 ? v.reshape('c', shape[0], shape[1]) : v.reshape('c', 1, length(shape));
    }

    private static int length(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
