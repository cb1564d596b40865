package org.vaespark.core.train;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The sum object of parameter averaging (McDonald et al. 2010; Zhang et al. 2015): adds the
 * parameters and Adam moments of each partition's {@link RoundResult}, merges partial sums,
 * and divides at the end. Used as the zero / seqOp / combOp of Spark's treeAggregate.
 *
 * <p>Sums are kept in double precision. The float32 values of one parameter across replicas
 * that started a round from the same point have exponents close together, so their double
 * sum is exact and does not depend on the order in which Spark merges partial sums; the mean
 * is rounded to float once, at the end.
 *
 * <p>A sum of one replica holds float values exactly, so it is serialized as floats: a Spark
 * task's partial sum (one partition, one replica) travels to the driver at half the bytes,
 * and the driver's result is bit-identical.
 */
public final class AveragingSum implements Serializable {
    private static final long serialVersionUID = 2L;

    private List<String> names;
    private long[][] shapes;
    private transient double[][] params;
    private transient double[][] m;
    private transient double[][] v;
    private long step = -1;
    private int replicas;
    private long examples;
    private double elboSum;
    private double reconstructionSum;
    private double klSum;
    private double localSecondsSum;
    private double localSecondsMax;

    /** The zero: holds nothing until the first add. */
    public AveragingSum() {
    }

    /** Adds one replica's result. */
    public AveragingSum add(RoundResult r) {
        if (names == null) {
            names = new ArrayList<>(r.parameters().names());
            shapes = new long[names.size()][];
            params = new double[names.size()][];
            m = new double[names.size()][];
            v = new double[names.size()][];
            for (int i = 0; i < names.size(); i++) {
                shapes[i] = r.parameters().shape(names.get(i));
                int n = r.parameters().values(names.get(i)).length;
                params[i] = new double[n];
                m[i] = new double[n];
                v[i] = new double[n];
            }
            step = r.adam().step();
        }
        check(r.parameters(), "parameters");
        check(r.adam().m(), "Adam first moments");
        check(r.adam().v(), "Adam second moments");
        if (r.adam().step() != step) {
            throw new IllegalStateException("replicas disagree on the Adam step: " + step + " vs " + r.adam().step());
        }
        for (int i = 0; i < names.size(); i++) {
            accumulate(params[i], r.parameters().values(names.get(i)));
            accumulate(m[i], r.adam().m().values(names.get(i)));
            accumulate(v[i], r.adam().v().values(names.get(i)));
        }
        replicas++;
        examples += r.examples();
        elboSum += r.elboSum();
        reconstructionSum += r.reconstructionSum();
        klSum += r.klSum();
        localSecondsSum += r.localSeconds();
        localSecondsMax = Math.max(localSecondsMax, r.localSeconds());
        return this;
    }

    /** Merges another partial sum into this one. */
    public AveragingSum merge(AveragingSum other) {
        if (other.replicas == 0) {
            return this;
        }
        if (replicas == 0) {
            return other;
        }
        if (!names.equals(other.names) || other.step != step) {
            throw new IllegalStateException("cannot merge sums of different layouts or steps: " + names + "@" + step
                    + " vs " + other.names + "@" + other.step);
        }
        for (int i = 0; i < names.size(); i++) {
            if (!Arrays.equals(shapes[i], other.shapes[i])) {
                throw new IllegalStateException(names.get(i) + ": shape " + Arrays.toString(shapes[i]) + " vs " + Arrays.toString(other.shapes[i]));
            }
            add(params[i], other.params[i]);
            add(m[i], other.m[i]);
            add(v[i], other.v[i]);
        }
        replicas += other.replicas;
        examples += other.examples;
        elboSum += other.elboSum;
        reconstructionSum += other.reconstructionSum;
        klSum += other.klSum;
        localSecondsSum += other.localSecondsSum;
        localSecondsMax = Math.max(localSecondsMax, other.localSecondsMax);
        return this;
    }

    /** The averaged parameters and Adam state. */
    public Averaged mean() {
        if (replicas == 0) {
            throw new IllegalStateException("no replica contributed to this round");
        }
        return new Averaged(divide(params), new AdamState(divide(m), divide(v), step), replicas, examples,
                perExample(elboSum), perExample(reconstructionSum), perExample(klSum));
    }

    /**
     * The result of a round.
     *
     * @param meanElbo           mean training ELBO (nats) over the examples of the round; NaN if none
     * @param meanReconstruction mean reconstruction term E_q[log p(x|z)] (nats); NaN if none or not recorded
     * @param meanKl             mean KL term (nats), so meanElbo = meanReconstruction − meanKl; NaN if none or
     *                           a replica's model holds no KL among its training outputs
     */
    public record Averaged(NamedArrays parameters, AdamState adam, int replicas, long examples, double meanElbo,
                           double meanReconstruction, double meanKl) {
    }

    private double perExample(double sum) {
        return examples == 0 ? Double.NaN : sum / examples;
    }

    public int replicas() {
        return replicas;
    }

    /** The slowest replica's local-step wall seconds ({@link RoundResult#localSeconds()}): the round's critical path. */
    public double localSecondsMax() {
        return localSecondsMax;
    }

    /** The replicas' mean local-step wall seconds; 0 before any add. */
    public double localSecondsMean() {
        return replicas == 0 ? 0 : localSecondsSum / replicas;
    }

    private NamedArrays divide(double[][] sums) {
        NamedArrays.Builder b = NamedArrays.builder();
        for (int i = 0; i < names.size(); i++) {
            float[] out = new float[sums[i].length];
            for (int j = 0; j < out.length; j++) {
                out[j] = (float) (sums[i][j] / replicas);
            }
            b.put(names.get(i), shapes[i], out);
        }
        return b.build();
    }

    private void check(NamedArrays a, String what) {
        if (!new ArrayList<>(a.names()).equals(names)) {
            throw new IllegalStateException(what + " " + a.names() + " do not match " + names);
        }
        for (int i = 0; i < names.size(); i++) {
            if (!Arrays.equals(a.shape(names.get(i)), shapes[i])) {
                throw new IllegalStateException(what + " " + names.get(i) + ": expected shape " + Arrays.toString(shapes[i])
                        + ", found " + Arrays.toString(a.shape(names.get(i))));
            }
        }
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        boolean floats = replicas == 1;
        out.writeBoolean(floats);
        out.writeObject(floats ? toFloats(params) : params);
        out.writeObject(floats ? toFloats(m) : m);
        out.writeObject(floats ? toFloats(v) : v);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        boolean floats = in.readBoolean();
        params = floats ? toDoubles((float[][]) in.readObject()) : (double[][]) in.readObject();
        m = floats ? toDoubles((float[][]) in.readObject()) : (double[][]) in.readObject();
        v = floats ? toDoubles((float[][]) in.readObject()) : (double[][]) in.readObject();
    }

    /** Exact for a one-replica sum: each value is a float widened to double. */
    private static float[][] toFloats(double[][] a) {
        if (a == null) {
            return null;
        }
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new float[a[i].length];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = (float) a[i][j];
            }
        }
        return out;
    }

    private static double[][] toDoubles(float[][] a) {
        if (a == null) {
            return null;
        }
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new double[a[i].length];
            accumulate(out[i], a[i]);
        }
        return out;
    }

    private static void accumulate(double[] sum, float[] x) {
        for (int j = 0; j < sum.length; j++) {
            sum[j] += x[j];
        }
    }

    private static void add(double[] sum, double[] x) {
        for (int j = 0; j < sum.length; j++) {
            sum[j] += x[j];
        }
    }
}
