package org.vaespark.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The parameter names, shapes and initialisers a {@link VaeConfig} implies, in graph order, as
 * declared by the model's components ({@code ModelDescription#layout}). Initialisation is seeded
 * (java.util.SplittableRandom, no native RNG): the same seed gives the same parameters on every
 * machine. Dense weights are [in, out], Glorot-uniform (Glorot &amp; Bengio 2010); biases zero.
 */
public final class ParameterLayout {
    private final LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
    private final LinkedHashMap<String, Init> inits = new LinkedHashMap<>();

    /** An empty layout; the model's components declare into it ({@code ModelDescription#layout}). */
    public ParameterLayout() {
    }

    /** Declares a parameter; names must be unique. */
    public void add(String name, long[] shape, Init init) {
        if (shapes.containsKey(name)) {
            throw new IllegalStateException("parameter " + name + " declared twice");
        }
        shapes.put(name, shape.clone());
        inits.put(name, init);
    }

    /** Declares {@code prefix_W} [in, out] (Glorot) and {@code prefix_b} [out] (zeros). */
    public void dense(String prefix, int in, int out) {
        add(VaeNames.weight(prefix), new long[]{in, out}, Init.GLOROT);
        add(VaeNames.bias(prefix), new long[]{out}, Init.ZEROS);
    }

    /** Parameter names in graph order. */
    public List<String> names() {
        return new ArrayList<>(shapes.keySet());
    }

    /** Name to shape, in graph order. */
    public Map<String, long[]> shapes() {
        LinkedHashMap<String, long[]> copy = new LinkedHashMap<>();
        shapes.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** Number of trainable scalars. */
    public long count() {
        long n = 0;
        for (long[] s : shapes.values()) {
            n += size(s);
        }
        return n;
    }

    /** Seeded initial values, in declaration order. */
    public NamedArrays initialise(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        NamedArrays.Builder b = NamedArrays.builder();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long[] shape = e.getValue();
            float[] v = new float[(int) size(shape)];
            Init init = inits.get(e.getKey());
            if (init instanceof Init.Glorot) {
                double a = Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((rng.nextDouble() * 2 - 1) * a);
                }
            } else if (init instanceof Init.Constant c) {
                java.util.Arrays.fill(v, (float) c.value());
            } else if (init instanceof Init.Normal n) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (n.mean() + n.std() * gaussian(rng));
                }
            } else if (init instanceof Init.Uniform u) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (u.low() + (u.high() - u.low()) * rng.nextDouble());
                }
            }
            b.put(e.getKey(), shape, v);
        }
        return b.build();
    }

    private static long size(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** Fan-in: rows of a [in, out] matrix; for rank >= 3, (product of leading dims) x the second-to-last. */
    private static double fanIn(long[] shape) {
        if (shape.length < 2) {
            return 1;
        }
        return receptive(shape) * shape[shape.length - 2];
    }

    private static double fanOut(long[] shape) {
        if (shape.length < 2) {
            return shape.length == 0 ? 1 : shape[0];
        }
        return receptive(shape) * shape[shape.length - 1];
    }

    private static double receptive(long[] shape) {
        double r = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            r *= shape[i];
        }
        return r;
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = (rng.nextLong() >>> 11) * 0x1.0p-53 + 0x1.0p-54;
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
