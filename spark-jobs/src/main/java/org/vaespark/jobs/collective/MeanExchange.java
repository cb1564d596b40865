package org.vaespark.jobs.collective;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@link Exchange} of tasks in different JVMs, over a {@link PeerMesh}: parameter averaging's
 * allreduce without a driver. Reduce-scatter then all-gather (Patarasuk &amp; Yuan 2009): rank r owns the slice
 * [r·L/n, (r+1)·L/n) of the vector, receives that slice from every peer, sums it in double precision
 * in rank order 0..n−1 and rounds the mean to float once, exactly as {@code AveragingSum} does on the
 * driver, then sends its mean slice to every peer. Each task moves 2·(n−1)/n of the vector each way
 * per round, and every task ends with the same bits.
 */
public final class MeanExchange implements Exchange {
    private final PeerMesh mesh;
    private final int length;
    private final int scalars;
    private final int n;
    private final int rank;
    private final byte[][] outgoing;
    private final byte[][] incoming;
    private final int[] outLengths;
    private final int[] inLengths;
    private final float[][] received;
    private final RankMean sum = new RankMean();

    /** Exchanges vectors of {@code length} floats and {@code scalars} doubles per task over {@code mesh}, which it closes. */
    public MeanExchange(PeerMesh mesh, int length, int scalars) {
        this.mesh = mesh;
        this.length = length;
        this.scalars = scalars;
        this.n = mesh.size();
        this.rank = mesh.rank();
        int most = 0;
        for (int q = 0; q < n; q++) {
            most = Math.max(most, end(q) - start(q));
        }
        this.outgoing = new byte[n][8 * scalars + 4 * most];
        this.incoming = new byte[n][8 * scalars + 4 * most];
        this.outLengths = new int[n];
        this.inLengths = new int[n];
        // each peer's share of this rank's slice, at the slice's own indices
        this.received = new float[n][end(rank)];
    }

    @Override
    public Mean mean(float[] mine, double[] myScalars, float[] into) {
        if (mine.length != length || into.length != length || mine == into || myScalars.length != scalars) {
            throw new IllegalArgumentException("expected two distinct arrays of " + length + " values and " + scalars + " scalars, got "
                    + mine.length + ", " + into.length + " and " + myScalars.length);
        }
        int lo = start(rank);
        int width = end(rank) - lo;
        for (int q = 0; q < n; q++) {
            if (q == rank) {
                continue;
            }
            ByteBuffer b = wrap(outgoing[q]);
            for (double s : myScalars) {
                b.putDouble(s);
            }
            b.asFloatBuffer().put(mine, start(q), end(q) - start(q));
            outLengths[q] = 8 * scalars + 4 * (end(q) - start(q));
            inLengths[q] = 8 * scalars + 4 * width;
        }
        mesh.exchange(outgoing, outLengths, incoming, inLengths);
        double[][] all = new double[n][];
        for (int q = 0; q < n; q++) {
            if (q == rank) {
                all[q] = myScalars.clone();
                continue;
            }
            ByteBuffer b = wrap(incoming[q]);
            all[q] = new double[scalars];
            for (int i = 0; i < scalars; i++) {
                all[q][i] = b.getDouble();
            }
            b.asFloatBuffer().get(received[q], lo, width);
        }
        float[][] parts = new float[n][];
        for (int q = 0; q < n; q++) {
            parts[q] = q == rank ? mine : received[q];
        }
        sum.mean(parts, new float[][]{into}, lo, lo + width);
        float[] mean = into;
        for (int q = 0; q < n; q++) {
            if (q == rank) {
                continue;
            }
            wrap(outgoing[q]).asFloatBuffer().put(mean, lo, width);
            outLengths[q] = 4 * width;
            inLengths[q] = 4 * (end(q) - start(q));
        }
        mesh.exchange(outgoing, outLengths, incoming, inLengths);
        for (int q = 0; q < n; q++) {
            if (q != rank) {
                wrap(incoming[q]).asFloatBuffer().get(mean, start(q), end(q) - start(q));
            }
        }
        return new Mean(mean, all);
    }

    @Override
    public void close() {
        mesh.close();
    }

    private int start(int q) {
        return (int) ((long) q * length / n);
    }

    private int end(int q) {
        return (int) ((long) (q + 1) * length / n);
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
