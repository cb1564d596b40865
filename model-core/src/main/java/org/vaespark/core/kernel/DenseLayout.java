package org.vaespark.core.kernel;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Every parameter of a model (Kingma &amp; Welling 2014) at an offset of one flat float buffer, in
 * the graph's declaration order: the dense path keeps parameters, gradients and Adam's moments
 * (Kingma &amp; Ba 2015) flat, so one pass updates them all, and reads each weight matrix as a view.
 * Names and shapes are exactly those of {@link ParameterLayout}. The encoder's two Gaussian heads
 * (enc_mu and enc_logvar, each [h, d]) are interleaved into one [h, 2d] block, row i holding row i of
 * mu's weight then row i of logvar's, and their biases are adjacent, so one GEMM computes both heads
 * ({@link #headWeights}); {@link #flatten} and {@link #split} convert from and to the named arrays.
 */
public final class DenseLayout {
    private static final String MU_W = VaeNames.weight(VaeNames.ENC_MU);
    private static final String LOGVAR_W = VaeNames.weight(VaeNames.ENC_LOGVAR);
    private static final String MU_B = VaeNames.bias(VaeNames.ENC_MU);
    private static final String LOGVAR_B = VaeNames.bias(VaeNames.ENC_LOGVAR);
    private final Map<String, long[]> shapes;
    private final Map<String, Integer> offsets = new LinkedHashMap<>();
    private final Map<String, Integer> strides = new LinkedHashMap<>();
    private final boolean fusedHeads;
    private final int total;

    public DenseLayout(ParameterLayout layout) {
        this.shapes = layout.shapes();
        this.fusedHeads = shapes.containsKey(MU_W) && shapes.containsKey(MU_B)
                && java.util.Arrays.equals(shapes.get(MU_W), shapes.get(LOGVAR_W)) && java.util.Arrays.equals(shapes.get(MU_B), shapes.get(LOGVAR_B));
        int at = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String name = e.getKey();
            int n = length(e.getValue());
            int cols = columns(e.getValue());
            if (fusedHeads && (name.equals(LOGVAR_W) || name.equals(LOGVAR_B))) {
                continue;
            }
            if (fusedHeads && (name.equals(MU_W) || name.equals(MU_B))) {
                String partner = name.equals(MU_W) ? LOGVAR_W : LOGVAR_B;
                offsets.put(name, at);
                offsets.put(partner, at + cols);
                strides.put(name, 2 * cols);
                strides.put(partner, 2 * cols);
                at += 2 * n;
            } else {
                offsets.put(name, at);
                strides.put(name, cols);
                at += n;
            }
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
            throw new IllegalArgumentException("no parameter " + name + " in " + shapes.keySet());
        }
        return at;
    }

    public int length(String name) {
        offset(name);
        return length(shapes.get(name));
    }

    /** The parameter names in the graph's declaration order. */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(shapes.keySet());
    }

    public long[] shape(String name) {
        offset(name);
        return shapes.get(name).clone();
    }

    /** Floats from one row of {@code name} to the next in the buffer: its row length, or twice that for an interleaved head. */
    public int stride(String name) {
        offset(name);
        return strides.get(name);
    }

    /** Length of one row of {@code name}: the columns of a weight, the whole of a vector. */
    public int columns(String name) {
        offset(name);
        return columns(shapes.get(name));
    }

    /** Whether the encoder's mu and logvar heads share one interleaved block. */
    public boolean fusedHeads() {
        return fusedHeads;
    }

    /** The arrays in the flat layout; names and shapes must be the layout's. */
    public float[] flatten(NamedArrays arrays) {
        float[] flat = new float[total];
        write(arrays, FloatBuffer.wrap(flat));
        return flat;
    }

    /** Writes the arrays into {@code flat} in the layout (a native or heap buffer of {@link #total()} floats). */
    public void write(NamedArrays arrays, FloatBuffer flat) {
        if (!arrays.names().equals(shapes.keySet())) {
            throw new IllegalArgumentException("arrays " + arrays.names() + " do not match the layout " + shapes.keySet());
        }
        for (String name : shapes.keySet()) {
            float[] v = arrays.values(name);
            if (v.length != length(name)) {
                throw new IllegalArgumentException(name + ": " + v.length + " values, expected " + length(name));
            }
            int cols = columns(shapes.get(name));
            int stride = strides.get(name);
            int at = offsets.get(name);
            for (int from = 0; from < v.length; from += cols, at += stride) {
                flat.put(at, v, from, cols);
            }
        }
    }

    /** The inverse of {@link #flatten}: one named array per parameter, copied out of {@code flat}. */
    public NamedArrays split(float[] flat) {
        return read(FloatBuffer.wrap(flat));
    }

    /** The inverse of {@link #write}. */
    public NamedArrays read(FloatBuffer flat) {
        NamedArrays.Builder b = NamedArrays.builder();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String name = e.getKey();
            float[] v = new float[length(e.getValue())];
            int cols = columns(e.getValue());
            int stride = strides.get(name);
            int at = offsets.get(name);
            for (int to = 0; to < v.length; to += cols, at += stride) {
                flat.get(at, v, to, cols);
            }
            b.put(name, e.getValue(), v);
        }
        return b.build();
    }

    /**
     * A view of parameter {@code name} in a flat native array: [in, out] for a weight, [1, n] for a
     * vector. The interleaved head weights have no contiguous view: read them with {@link #headWeights}.
     */
    public INDArray view(INDArray flat, String name) {
        long[] shape = shapes.get(name);
        int at = offset(name);
        if (shape.length == 2 && strides.get(name) != shape[1]) {
            throw new IllegalArgumentException(name + " is interleaved with its partner head: use headWeights");
        }
        INDArray v = flat.get(NDArrayIndex.interval(at, at + length(shape)));
        return shape.length == 2 ? v.reshape('c', shape[0], shape[1]) : v.reshape('c', 1, length(shape));
    }

    /** The [h, 2d] block of both heads' weights (columns 0..d-1 mu's, d..2d-1 logvar's); needs {@link #fusedHeads()}. */
    public INDArray headWeights(INDArray flat) {
        if (!fusedHeads) {
            throw new IllegalStateException("this layout has no fused encoder heads");
        }
        long[] shape = shapes.get(MU_W);
        int at = offset(MU_W);
        return flat.get(NDArrayIndex.interval(at, at + 2 * length(shape))).reshape('c', shape[0], 2 * shape[1]);
    }

    private static int columns(long[] shape) {
        return shape.length == 2 ? Math.toIntExact(shape[1]) : length(shape);
    }

    private static int length(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
