package org.vaespark.core.train;

import org.vaespark.core.samediff.Vae;

/**
 * One partition's replica in parameter averaging (McDonald et al. 2010; Zhang et al. 2015), kept
 * open across the rounds of a segment: {@link #run} takes its local Adam steps (Kingma &amp; Ba 2015),
 * {@link #pack} hands its parameters and moments to the averaging as one vector, and {@link #load}
 * continues from the averaged vector. On the dense path the vector is the network's own buffer order
 * ({@link FlatState#of}), so neither direction builds named arrays. Opened by
 * {@link PartitionTrainer#open}; the batches and noise of a step depend only on (seed, partition,
 * step), exactly as for {@link PartitionTrainer#run}.
 */
public final class Replica implements AutoCloseable {
    private final PartitionTrainer trainer;
    private final Vae model;
    private final LocalSteps local;
    private long step;

    /**
     * What a replica's local steps of one round give.
     *
     * @param localSeconds wall seconds of the steps
     * @param step         Adam steps taken after them
     */
    public record Round(long examples, double elboSum, double reconstructionSum, double klSum, double localSeconds, long step) {
    }

    Replica(PartitionTrainer trainer, Vae model, LocalSteps local, long step) {
        this.trainer = trainer;
        this.model = model;
        this.local = local;
        this.step = step;
    }

    /** Takes {@code steps} local steps from the current state. */
    public Round run(int steps) {
        Round r = trainer.steps(local, model, step, steps);
        step = r.step();
        return r;
    }

    /** The layout of {@link #pack} and {@link #load}: the same for every replica of one model and trainer. */
    public FlatState layout() {
        return local.layout();
    }

    /**
     * The parameters and moments as one vector ({@link #layout()}), held by the replica: read it (or
     * copy it) before the next {@link #run} or {@link #load}, which write into it.
     */
    public float[] pack() {
        return local.pack();
    }

    /**
     * Continues from the parameters and moments in {@code vector} ({@link #layout()}), {@code step} Adam
     * steps taken; {@code vector} must stay unchanged until the next {@link #run} or {@link #pack}.
     */
    public void load(float[] vector, long step) {
        local.load(vector, step);
        this.step = step;
    }

    /** Adam steps taken so far. */
    public long step() {
        return step;
    }

    LocalSteps.RoundState state() {
        return local.state();
    }

    @Override
    public void close() {
        local.close();
    }
}
