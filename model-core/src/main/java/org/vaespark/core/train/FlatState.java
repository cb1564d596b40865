package org.vaespark.core.train;

import java.util.ArrayList;
import java.util.List;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The layout of a replica's averaged state, parameters and Adam's two moments (Kingma &amp; Ba 2015),
 * as one float vector {@code [parameters | m | v]}, each part holding the named arrays in their order.
 * Parameter averaging then moves and sums one contiguous vector; {@link #unpack} rebuilds the named
 * arrays with their names and shapes.
 */
public final class FlatState {
    private final List<String> names;
    private final List<long[]> shapes = new ArrayList<>();
    private final int[] offsets;
    private final int parameters;

    /** The layout of {@code like}'s arrays. */
    public FlatState(NamedArrays like) {
        this.names = List.copyOf(like.names());
        this.offsets = new int[names.size() + 1];
        long total = 0;
        for (int i = 0; i < names.size(); i++) {
            shapes.add(like.shape(names.get(i)));
            offsets[i] = (int) total;
            total += like.values(names.get(i)).length;
        }
        if (3 * total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(total + " parameters are too many for one averaging vector");
        }
        offsets[names.size()] = (int) total;
        this.parameters = (int) total;
    }

    /** Length of the vector: three times the number of parameters. */
    public int length() {
        return 3 * parameters;
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

    private void copyIn(NamedArrays a, float[] out, int base) {
        if (!new ArrayList<>(a.names()).equals(names)) {
            throw new IllegalStateException("arrays " + a.names() + " do not match the averaging layout " + names);
        }
        for (int i = 0; i < names.size(); i++) {
            float[] x = a.values(names.get(i));
            if (x.length != offsets[i + 1] - offsets[i]) {
                throw new IllegalStateException(names.get(i) + ": expected " + (offsets[i + 1] - offsets[i]) + " values, found " + x.length);
            }
            System.arraycopy(x, 0, out, base + offsets[i], x.length);
        }
    }

    private NamedArrays copyOut(float[] vector, int base) {
        NamedArrays.Builder b = NamedArrays.builder();
        for (int i = 0; i < names.size(); i++) {
            float[] x = new float[offsets[i + 1] - offsets[i]];
            System.arraycopy(vector, base + offsets[i], x, 0, x.length);
            b.put(names.get(i), shapes.get(i), x);
        }
        return b.build();
    }
}
