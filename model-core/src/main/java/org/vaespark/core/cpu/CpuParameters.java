package org.vaespark.core.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaespark.core.kernel.TrainKernels;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.optim.AdamState;

/**
 * The CPU executor's parameters, their gradients and Adam's moments (Kingma &amp; Ba 2015), one
 * heap array each, named and shaped as the model's {@code ParameterLayout}. As one vector they
 * take the named-array order of {@code FlatState(NamedArrays)}: [parameters | m | v], each part
 * the arrays one after the other.
 */
public final class CpuParameters {
    private final List<String> names;
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final Map<String, float[]> gradients = new LinkedHashMap<>();
    private final Map<String, float[]> m = new LinkedHashMap<>();
    private final Map<String, float[]> v = new LinkedHashMap<>();
    private final int total;

    public CpuParameters(NamedArrays params) {
        this.names = new ArrayList<>(params.names());
        int n = 0;
        for (String name : names) {
            float[] p = params.values(name).clone();
            shapes.put(name, params.shape(name));
            values.put(name, p);
            gradients.put(name, new float[p.length]);
            m.put(name, new float[p.length]);
            v.put(name, new float[p.length]);
            n += p.length;
        }
        this.total = n;
    }

    /** Replaces the moments by those of {@code adam} (same names and shapes). */
    public void setMoments(AdamState adam) {
        for (String name : names) {
            copy(adam.m().values(name), m.get(name), name);
            copy(adam.v().values(name), v.get(name), name);
        }
    }

    /** Replaces the parameter values (same names and shapes). */
    public void setValues(NamedArrays params) {
        for (String name : names) {
            copy(params.values(name), values.get(name), name);
        }
    }

    private static void copy(float[] from, float[] to, String name) {
        if (from.length != to.length) {
            throw new IllegalArgumentException(name + ": " + from.length + " values, expected " + to.length);
        }
        System.arraycopy(from, 0, to, 0, to.length);
    }

    public boolean contains(String name) {
        return values.containsKey(name);
    }

    long[] shape(String name) {
        long[] s = shapes.get(name);
        if (s == null) {
            throw new IllegalStateException("parameter " + name + " is not in the model's layout");
        }
        return s;
    }

    float[] values(String name) {
        shape(name);
        return values.get(name);
    }

    float[] gradient(String name) {
        shape(name);
        return gradients.get(name);
    }

    /** The gradients of the last backward pass, by name (live arrays). */
    public Map<String, float[]> gradients() {
        return gradients;
    }

    /** Sets every gradient to zero before a backward pass. */
    public void zeroGradients() {
        for (float[] g : gradients.values()) {
            Arrays.fill(g, 0f);
        }
    }

    /** One Adam update of every parameter from its gradient. */
    public void adam(TrainKernels.AdamStep step) {
        for (String name : names) {
            float[] mi = m.get(name);
            float[] vi = v.get(name);
            TrainKernels.adam(values.get(name), gradients.get(name), mi, 0, vi, 0, mi, 0, vi, 0, mi.length, step);
        }
    }

    /** Number of trainable scalars. */
    public int count() {
        return total;
    }

    /** [parameters | m | v] into {@code out} (length 3 x {@link #count()}). */
    public float[] pack(float[] out) {
        int at = 0;
        for (String name : names) {
            float[] p = values.get(name);
            System.arraycopy(p, 0, out, at, p.length);
            System.arraycopy(m.get(name), 0, out, total + at, p.length);
            System.arraycopy(v.get(name), 0, out, 2 * total + at, p.length);
            at += p.length;
        }
        return out;
    }

    /** The inverse of {@link #pack}. */
    public void load(float[] vector) {
        if (vector.length != 3 * total) {
            throw new IllegalArgumentException("state vector of " + vector.length + " values, expected " + 3 * total);
        }
        int at = 0;
        for (String name : names) {
            float[] p = values.get(name);
            System.arraycopy(vector, at, p, 0, p.length);
            System.arraycopy(vector, total + at, m.get(name), 0, p.length);
            System.arraycopy(vector, 2 * total + at, v.get(name), 0, p.length);
            at += p.length;
        }
    }

    /** A copy of the parameter values. */
    public NamedArrays parameters() {
        return copyOf(values);
    }

    /** A copy of the gradients of the last backward pass. */
    public NamedArrays gradientArrays() {
        return copyOf(gradients);
    }

    /** A copy of Adam's state after {@code step} steps. */
    public AdamState adamState(long step) {
        return new AdamState(copyOf(m), copyOf(v), step);
    }

    private NamedArrays copyOf(Map<String, float[]> arrays) {
        NamedArrays.Builder b = NamedArrays.builder();
        for (String name : names) {
            b.put(name, shapes.get(name), arrays.get(name).clone());
        }
        return b.build();
    }
}
