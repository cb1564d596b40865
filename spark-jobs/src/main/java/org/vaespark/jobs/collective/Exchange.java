package org.vaespark.jobs.collective;

/**
 * Parameter averaging's allreduce among the n tasks of a collective: every task hands in one float
 * vector and a few scalars and gets back the mean vector, the same bits on every task, and all tasks'
 * scalars. The mean of each coordinate is its double-precision sum in rank order 0..n−1, divided by n
 * and rounded to float once, exactly as {@code AveragingSum} computes it on the driver. Implemented over
 * TCP between executors ({@link MeanExchange}) and in memory when every task runs in one JVM
 * ({@link LocalExchange}).
 */
public interface Exchange extends AutoCloseable {

    /** The mean vector (the caller's {@code into}) and all tasks' scalars, indexed by rank. */
    record Mean(float[] vector, double[][] scalars) {
    }

    /**
     * Averages {@code mine} with the other tasks' vectors into {@code into} (another array of the same
     * length); shares {@code myScalars}. Blocks until every task has called it.
     */
    Mean mean(float[] mine, double[] myScalars, float[] into);

    @Override
    void close();
}
