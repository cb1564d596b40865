package org.vaespark.jobs.train;

import org.vaespark.core.train.AveragingSum;

/**
 * The driver's stopwatch for the phases of an averaging round ({@link RoundTimes}): the loop
 * calls one method at the end of each phase, in order, and the timer keeps the laps. Rounds
 * are timed back to back, so work between two rounds (the metrics line, then the checkpoint) is
 * charged to the next one and no time goes unaccounted.
 */
public final class RoundTimer {
    private long roundStart;
    private long mark;
    private double broadcast;
    private double job;
    private double driverUpdate;
    private double metrics;
    private double checkpoint;

    private RoundTimer(long now) {
        this.roundStart = now;
        this.mark = now;
    }

    /** A timer whose first round starts now. */
    public static RoundTimer start() {
        return new RoundTimer(System.nanoTime());
    }

    /** The broadcast exists. */
    public void broadcast() {
        broadcast = lap();
    }

    /** The driver holds the treeAggregate sum and the broadcast is destroyed. */
    public void aggregated() {
        job = lap();
    }

    /** The new parameters and Adam state are averaged and checked, and the round's metrics assembled. */
    public void updated() {
        driverUpdate = lap();
    }

    /**
     * The round's metrics are assembled: ends the round and returns its record; {@code sum} holds
     * the tasks' own local-step times. The metrics line and checkpoint that follow are charged to
     * the next round.
     */
    public RoundTimes finished(AveragingSum sum) {
        double round = (mark - roundStart) / 1e9;
        RoundTimes t = new RoundTimes(broadcast, sum.localSecondsMax(), sum.localSecondsMean(), Math.max(0, job - sum.localSecondsMax()),
                driverUpdate, checkpoint, metrics, round);
        roundStart = mark;
        return t;
    }

    /** The round's metrics line is written; its time is reported with the next round. */
    public void metricsWritten() {
        metrics = lap();
    }

    /** The round's checkpoint, if it writes one, is written; its time is reported with the next round. */
    public void checkpointWritten() {
        checkpoint = lap();
    }

    private double lap() {
        long now = System.nanoTime();
        double seconds = (now - mark) / 1e9;
        mark = now;
        return seconds;
    }
}
