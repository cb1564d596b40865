package org.vaespark.jobs.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.CheckpointMetadata;
import org.vaespark.core.checkpoint.ResumeState;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.AveragingSum;
import org.vaespark.core.train.LocalTrainer;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.core.train.UpdateGuard;

/**
 * Data-parallel training by parameter averaging (McDonald et al. 2010; Zhang et al. 2015), as a
 * short explicit loop: broadcast (config, parameters, Adam state) → every partition takes
 * {@code train.averaging-frequency} local Adam steps → treeAggregate sums parameters and Adam
 * moments → the driver averages, logs, checkpoints and destroys the broadcast. Each round appends
 * the mean training ELBO and its terms (train_reconstruction, train_kl; a term the model's training
 * outputs do not hold is left out) to metrics.jsonl.
 *
 * <p>A round whose averaged update is not finite or too large ({@link UpdateGuard}, as VDVAE does)
 * is skipped: parameters and Adam moments stay the previous round's, while Adam's step, the position
 * in the batch schedule, moves on, so the next round takes the next batches and a resumed run replays
 * the same decisions. A skipped round writes no checkpoint (except the last round of the run); after
 * {@code train.max-consecutive-skips} skips in a row the run stops, first writing the last good
 * state as a checkpoint when the newest one is older, and never overwriting a checkpoint with a bad state.
 *
 * <p>Each line also says where the round's time went
 * ({@link RoundTimes}, timed by {@link RoundTimer}; the tasks time their own local steps). Spark
 * sees the same split per stage through a {@link RoundListener} and named accumulators
 * ({@link TaskCounters}) in its UI.
 */
public final class SparkTrainer implements AveragingLoop {

    private final TrainingRun out;
    private final VaeConfig model;
    private final TrainConfig train;
    private final RunDirectory run;
    private final List<RoundTimes> roundTimes = new ArrayList<>();
    private RoundListener listener;
    private TaskCounters counters;

    public SparkTrainer(TrainingRun out) {
        this.out = out;
        this.model = out.model();
        this.train = out.train();
        this.run = out.run();
    }

    /** The state the loop starts from: fresh, or a checkpoint's (with the skipped-round counts of {@link UpdateGuard}). */
    public record Start(NamedArrays parameters, AdamState adam, long round, long examplesSeen, double wallSeconds,
                        long skippedRounds, int consecutiveSkips) {
        public Start(NamedArrays parameters, AdamState adam, long round, long examplesSeen, double wallSeconds) {
            this(parameters, adam, round, examplesSeen, wallSeconds, 0, 0);
        }

        public static Start fresh(VaeConfig model, long seed) {
            NamedArrays p = ModelDescription.layout(model).initialise(seed);
            return new Start(p, AdamState.zeros(p), 0, 0, 0);
        }

        /**
         * The start of a new run: seeded parameters plus what the model initialises from training
         * rows (VampPrior pseudo-inputs), from {@code sample}, rows the driver holds.
         */
        public static Start initial(VaeConfig model, TrainConfig train, Shard sample) {
            NamedArrays p = LocalTrainer.initialModel(model, train, sample).parameters();
            return new Start(p, AdamState.zeros(p), 0, 0, 0);
        }

        public static Start from(Checkpoint c) {
            CheckpointMetadata m = c.metadata();
            ResumeState r = m.resume();
            return new Start(c.parameters(), c.adam(), m.round(), m.examplesSeen(), m.trainWallSeconds(),
                    r == null ? 0 : r.skippedRounds(), r == null ? 0 : r.consecutiveSkips());
        }
    }

    /** Trains until {@code totalRounds}; returns the path of the final checkpoint. */
    @Override
    public Path train(JavaSparkContext sc, JavaRDD<Shard> shards, Start start, long totalRounds) {
        roundTimes.clear();
        listener = new RoundListener();
        counters = TaskCounters.register(sc.sc());
        sc.sc().addSparkListener(listener);
        try {
            Path last = loop(sc, shards, start, totalRounds);
            if (start.round() < totalRounds) {
                listener.await(totalRounds, 2000);
            }
            return last;
        } finally {
            RoundListener.untag(sc);
            sc.sc().removeSparkListener(listener);
        }
    }

    /** The round times of the last {@link #train} call, one per round it ran. */
    @Override
    public List<RoundTimes> roundTimes() {
        return List.copyOf(roundTimes);
    }

    /** The listener of the last {@link #train} call (per-round task metrics). */
    public RoundListener listener() {
        return listener;
    }

    /** The accumulators of the last {@link #train} call. */
    public TaskCounters counters() {
        return counters;
    }

    private Path loop(JavaSparkContext sc, JavaRDD<Shard> shards, Start start, long totalRounds) {
        TaskCounters counters = this.counters;
        NamedArrays params = start.parameters();
        AdamState adam = start.adam();
        long examplesSeen = start.examplesSeen();
        long trainExamples = shards.map(Shard::size).reduce(Integer::sum);
        RunBook book = new RunBook(out, trainExamples, start, totalRounds);
        CheckpointLatents latents = CheckpointLatents.of(out, shards);
        UpdateGuard guard = UpdateGuard.of(train, start.skippedRounds(), start.consecutiveSkips());
        Start lastGood = start;
        Path last = null;
        RoundTimer timer = RoundTimer.start();
        for (long round = start.round(); round < totalRounds; round++) {
            RoundListener.tag(sc, round + 1);
            Broadcast<RoundInput> input = sc.broadcast(new RoundInput(model, train, params, adam));
            timer.broadcast();
            AveragingSum sum = shards.map(s -> Replicas.run(input.value(), s, counters))
                    .treeAggregate(new AveragingSum(), AveragingSum::add, AveragingSum::merge);
            input.destroy();
            timer.aggregated();
            AveragingSum.Averaged avg = sum.mean();
            UpdateGuard.Verdict verdict = guard.judge(params, avg.parameters(), avg.meanElbo());
            if (verdict.skip()) {
                adam = new AdamState(adam.m(), adam.v(), avg.adam().step());
            } else {
                params = avg.parameters();
                adam = avg.adam();
            }
            examplesSeen += avg.examples();
            timer.updated();
            // the line goes before the checkpoint: a run killed in between resumes from the previous checkpoint and rewrites it
            RoundTimes times = timer.finished(sum);
            roundTimes.add(times);
            RoundOutcome o = RoundOutcome.of(round + 1, adam.step(), avg.examples(), avg.replicas(), avg.meanElbo(), avg.meanReconstruction(),
                    avg.meanKl(), verdict, guard, times);
            double wall = book.wall();
            book.record(o, examplesSeen, wall, latents != null && book.checkpointDue(o) ? latents.measure(model, params) : Map.of());
            timer.metricsWritten();
            Start state = new Start(params, adam, o.round(), examplesSeen, wall, guard.skippedTotal(), guard.consecutive());
            if (verdict.skip() && guard.exhausted()) {
                throw book.stop(o, lastGood);
            }
            if (!verdict.skip()) {
                lastGood = state;
            }
            if (book.checkpointDue(o)) {
                last = book.checkpoint(state);
            }
            timer.checkpointWritten();
        }
        return last;
    }
}
