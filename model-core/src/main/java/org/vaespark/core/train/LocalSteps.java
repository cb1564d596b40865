package org.vaespark.core.train;

import org.vaespark.core.optim.AdamState;

/**
 * What takes a partition's local Adam steps (Kingma &amp; Ba 2015) on the ELBO of a minibatch
 * (Kingma &amp; Welling 2014): the SameDiff graph ({@link GraphSteps}, every model) or the
 * hand-written dense path ({@link DenseSteps}, the reference family). Both are fed the same
 * batches and noise by {@link PartitionTrainer} and differ only by float rounding.
 */
interface LocalSteps extends AutoCloseable {
    /**
     * One Adam step on a minibatch. The caller refills the same arrays for its next step, so an
     * implementation keeps nothing of them beyond the call.
     *
     * @param x      inputs [B, D], row-major
     * @param eps    noise [S, B, n]
     * @param beta   the KL weight of this step
     * @param ids    example ids [B]
     * @param labels labels [B]
     */
    Terms step(float[] x, float[] eps, int batch, double beta, long[] ids, int[] labels);

    /** Sets Adam's step size for the following steps: {@link TrainConfig#learningRateAt} of the step's epoch. */
    void learningRate(double rate);

    /** The current parameters and Adam state. */
    RoundState state();

    /** The layout in which {@link #pack} and {@link #load} see the state as one vector. */
    FlatState layout();

    /**
     * The current parameters and moments as one vector ({@link #layout()}), held by these steps: it
     * stays valid until the next step or {@link #load}, which may write into it.
     */
    float[] pack();

    /**
     * Continues from the parameters and moments in {@code vector} ({@link #layout()}), {@code step} steps
     * taken. The vector must stay unchanged until the next step has been taken (the dense path reads the
     * moments from it then) or {@link #pack} or {@link #state} was called.
     */
    void load(float[] vector, long step);

    @Override
    void close();

    /**
     * Per-example training ELBO, reconstruction E_q[log p(x|z)] and KL [B] of one step.
     *
     * @param kl null where the model's training outputs hold no KL
     */
    record Terms(double[] elbo, double[] reconstruction, double[] kl) {
    }

    /** Parameters and Adam state after the steps. */
    record RoundState(org.vaespark.core.tensor.NamedArrays parameters, AdamState adam) {
    }
}
