package org.vaespark.core.train;

import java.util.ArrayList;
import java.util.List;
import org.vaespark.core.kernel.DenseLayout;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The layout of a replica's averaged state, parameters and Adam's two moments (Kingma &amp; Ba 2015),
 * as one float vector {@code [parameters | m | v]}, each part laid out alike. Parameter averaging
 * then moves and sums one contiguous vector, and every coordinate's mean is the same whatever the
 * layout. Two layouts exist: the named arrays one after the other ({@link #FlatState(NamedArrays)}),
 * and the dense path's own buffer order ({@link #of(DenseLayout)}, encoder heads interleaved), which
 * lets a replica on that path pack and load its state with bulk copies. {@link #parameters},
 * {@link #adam} and {@link #updateNorm} read the named arrays back in their order in either layout.
 */
public final class FlatState {
    private final List<String> names;
    private final List<long[]> shapes;
    /** Per name: offset of its first row within a part, distance between its rows, row length. */
    private final int[] offsets;
    private final int[] strides;
    private final int[] columns;
    private final int parameters;

    /** The named arrays of {@code like}, in their order, one after the other. */
    public FlatState(NamedArrays like) {
        this.names = List.copyOf(like.names());
        this.shapes = new ArrayList<>();
        this.offsets = new int[names.size()];
        this.strides = new int[names.size()];
        this.columns = new int[names.size()];
        long total = 0;
        for (int i = 0; i < names.size(); i++) {
            shapes.add(like.shape(names.get(i)));
            int n = like.values(names.get(i)).length;
            offsets[i] = (int) Math.min(total, Integer.MAX_VALUE);
            strides[i] = n;
            columns[i] = n;
            total += n;
        }
        this.parameters = checked(total);
    }

    private FlatState(List<String> names, List<long[]> shapes, int[] offsets, int[] strides, int[] columns, long total) {
        this.names = List.copyOf(names);
        this.shapes = shapes;
        this.offsets = offsets;
        this.strides = strides;
        this.columns = columns;
        this.parameters = checked(total);
    }

    /** The dense path's order: each part is exactly a {@link DenseLayout} buffer. */
    public static FlatState of(DenseLayout layout) {
        List<String> names = new ArrayList<>(layout.names());
        List<long[]> shapes = new ArrayList<>();
        int[] offsets = new int[names.size()];
        int[] strides = new int[names.size()];
        int[] columns = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            shapes.add(layout.shape(name));
            offsets[i] = layout.offset(name);
            int length = layout.length(name);
            boolean contiguous = layout.stride(name) == layout.columns(name);
            strides[i] = contiguous ? length : layout.stride(name);
            columns[i] = contiguous ? length : layout.columns(name);
        }
        return new FlatState(names, shapes, offsets, strides, columns, layout.total());
    }

    private static int checked(long total) {
        if (3 * total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(total + " parameters are too many for one averaging vector");
        }
        return (int) total;
    }

    /** Length of the vector: three times the number of parameters. */
    public int length() {
        return 3 * parameters;
    }

    /** Number of parameters, the length of each of the three parts. */
    public int parameterCount() {
        return parameters;
    }

    /** Copies parameters and moments into {@code out} (length {@link #length()}). */
    public float[] pack(NamedArrays params, AdamState adam, float[] out) {
        copyIn(params, out, 0);
        copyIn(adam.m(), out, parameters);
        copyIn(adam.v(), out, 2 * parameters);
        return out;
    }

    /** The parameters held in {@code vector}. */
    public NamedArrays parameters(float[] vector) {
        return copyOut(vector, 0);
    }

    /** The Adam state held in {@code vector}, at {@code step}. */
    public AdamState adam(float[] vector, long step) {
        return new AdamState(copyOut(vector, parameters), copyOut(vector, 2 * parameters), step);
    }

    /**
     * {@link UpdateGuard#updateNorm} of the parameters held in two vectors of this layout: the same
     * sums ({@link SquaredDistance}), over the same values in the same order, as over the named arrays.
     */
    public double updateNorm(float[] before, float[] after) {
        SquaredDistance sum = new SquaredDistance();
        for (int i = 0; i < names.size(); i++) {
            int rows = columns[i] == 0 ? 0 : length(i) / columns[i];
            int end = offsets[i] + rows * strides[i];
            for (int row = offsets[i]; row < end; row += strides[i]) {
                if (!sum.add(before, after, row, columns[i])) {
                    return sum.norm();
                }
            }
        }
        return sum.norm();
    }

    private int length(int i) {
        long n = 1;
        for (long d : shapes.get(i)) {
            n *= d;
        }
        return (int) n;
    }

    private void copyIn(NamedArrays a, float[] out, int base) {
        if (!new ArrayList<>(a.names()).equals(names)) {
            throw new IllegalStateException("arrays " + a.names() + " do not match the averaging layout " + names);
        }
        for (int i = 0; i < names.size(); i++) {
            float[] x = a.values(names.get(i));
            if (x.length != length(i)) {
                throw new IllegalStateException(names.get(i) + ": expected " + length(i) + " values, found " + x.length);
            }
            for (int from = 0, at = base + offsets[i]; from < x.length; from += columns[i], at += strides[i]) {
                System.arraycopy(x, from, out, at, columns[i]);
            }
        }
    }

    private NamedArrays copyOut(float[] vector, int base) {
        NamedArrays.Builder b = NamedArrays.builder();
        for (int i = 0; i < names.size(); i++) {
            float[] x = new float[length(i)];
            for (int to = 0, at = base + offsets[i]; to < x.length; to += columns[i], at += strides[i]) {
                System.arraycopy(vector, at, x, to, columns[i]);
            }
            b.put(names.get(i), shapes.get(i), x);
        }
        return b.build();
    }
}
