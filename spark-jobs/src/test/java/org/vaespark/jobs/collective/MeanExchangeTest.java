package org.vaespark.jobs.collective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The tasks' allreduce over real TCP sockets on 127.0.0.1 and in shared memory, each rank on its own thread. */
class MeanExchangeTest {

    @Test
    void everyRankGetsTheSameMeanAsADoubleSumInRankOrderRoundedOnce() throws Exception {
        for (int n : new int[]{2, 3, 5}) {
            // more than one of RankMean's blocks per slice
            int length = 5003;
            float[][] x = new float[n][length];
            double[][] scalars = new double[n][];
            Random random = new Random(n);
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < length; j++) {
                    // values of very different sizes, so a float sum would round differently from the double one
                    x[r][j] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
                }
                scalars[r] = new double[]{r, 100.0 * r + 0.5, -r};
            }
            for (boolean local : new boolean[]{false, true}) {
            List<Exchange.Mean> means = run(n, (mesh) -> {
                Exchange e = local ? LocalExchange.join("test-" + n, mesh.rank(), n, length, 1000, "k") : new MeanExchange(mesh, length, 3);
                float[] into = new float[length];
                Exchange.Mean first = e.mean(x[mesh.rank()], scalars[mesh.rank()], into);
                assertTrue(first.vector() == into, "the mean is written into the caller's array");
                // a second round through the same buffers
                float[] copy = first.vector().clone();
                Exchange.Mean second = e.mean(x[mesh.rank()], scalars[mesh.rank()], into);
                assertArrayEquals(copy, second.vector());
                Exchange.Mean kept = new Exchange.Mean(second.vector().clone(), second.scalars());
                e.close();
                return kept;
            });
            float[] expected = new float[length];
            for (int j = 0; j < length; j++) {
                double sum = 0;
                for (int r = 0; r < n; r++) {
                    sum += x[r][j];
                }
                expected[j] = (float) (sum / n);
            }
            for (int r = 0; r < n; r++) {
                assertArrayEquals(expected, means.get(r).vector(), "rank " + r + " of " + n);
                for (int q = 0; q < n; q++) {
                    assertArrayEquals(scalars[q], means.get(r).scalars()[q], "rank " + r + " holds rank " + q + "'s scalars");
                }
            }
            }
        }
    }

    @Test
    void aSilentPeerFailsTheExchangeNamingTheTimeoutKey() throws Exception {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> run(2, mesh -> {
            if (mesh.rank() == 1) {
                Thread.sleep(3000);
                return null;
            }
            return new MeanExchange(mesh, 10, 1).mean(new float[10], new double[1], new float[10]);
        }));
        String msg = e.getCause().getMessage();
        assertTrue(msg.contains("rank 1 sent nothing for 1 s") && msg.contains("test.timeout-key"), msg);
    }

    interface Rank<T> {
        T run(PeerMesh mesh) throws Exception;
    }

    /** Runs {@code body} on n connected ranks; the first failure, if any, is thrown. */
    private static <T> List<T> run(int n, Rank<T> body) throws Exception {
        List<PeerMesh.Listener> listeners = new ArrayList<>();
        String[] addresses = new String[n];
        for (int r = 0; r < n; r++) {
            listeners.add(PeerMesh.listen("127.0.0.1"));
            addresses[r] = listeners.get(r).address();
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                futures.add(pool.submit(() -> {
                    try (PeerMesh.Listener l = listeners.get(rank); PeerMesh mesh = l.connect(rank, addresses, 1000, "test.timeout-key")) {
                        assertEquals(n, mesh.size());
                        return body.run(mesh);
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
