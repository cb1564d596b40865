package org.vaespark.jobs.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.checkpoint.ResumeState;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.train.TrainConfig;

/**
 * The driver's record of a training run, shared by both averaging loops ({@link SparkTrainer},
 * {@link CollectiveTrainer}): one metrics.jsonl line per round, a progress line every
 * progress.interval-seconds ({@link RoundLog}), checkpoints with
 * their resume block, and the error that ends a run after too many skipped rounds.
 */
final class RunBook {
    private static final Logger LOG = LoggerFactory.getLogger(RunBook.class);

    private final TrainingRun out;
    private final TrainConfig train;
    private final long trainExamples;
    private final long firstRound;
    private final long totalRounds;
    private final double wallBefore;
    private final long t0 = System.nanoTime();
    private final RoundLog log;

    RunBook(TrainingRun out, long trainExamples, SparkTrainer.Start start, long totalRounds) {
        this.out = out;
        this.train = out.train();
        this.trainExamples = trainExamples;
        this.firstRound = start.round();
        this.totalRounds = totalRounds;
        this.wallBefore = start.wallSeconds();
        this.log = new RoundLog(firstRound, totalRounds, out.progressSeconds());
    }

    /** Training wall seconds so far, this run's and those of the runs it resumes. */
    double wall() {
        return wallBefore + (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Feeds round {@code o} to the progress lines and appends its metrics.jsonl line; {@code examplesSeen} counts it, {@code wall}
     * ends it, {@code latents} are added to it (the checkpoint's {@link CheckpointLatents}; empty between checkpoints).
     */
    void record(RoundOutcome o, long examplesSeen, double wall, Map<String, Object> latents) {
        Map<String, Object> line = line(o, examplesSeen, wall);
        line.putAll(latents);
        observe(o, examplesSeen);
        out.run().appendMetrics(List.of(line));
    }

    /**
     * Feeds round {@code o} to the progress lines ({@link RoundLog}: one every progress.interval-seconds);
     * {@code examplesSeen} counts it. A round fed before is ignored.
     */
    void observe(RoundOutcome o, long examplesSeen) {
        log.add(o, (double) examplesSeen / trainExamples);
    }

    /** The newest round fed to the progress lines. */
    long observed() {
        return log.shown();
    }

    /** Returns round {@code o}'s metrics.jsonl line (a skipped round is also logged as a warning), for the caller to append. */
    Map<String, Object> line(RoundOutcome o, long examplesSeen, double wall) {
        double epoch = (double) examplesSeen / trainExamples;
        double perSecond = o.times().round() > 0 ? o.examples() / o.times().round() : Double.NaN;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("round", o.round());
        m.put("epoch", epoch);
        m.put("adam_step", o.adamStep());
        m.put("examples_seen", examplesSeen);
        putIfFinite(m, "examples_per_second", perSecond);
        putIfFinite(m, "train_elbo", o.meanElbo());
        putIfFinite(m, "train_reconstruction", o.meanReconstruction());
        putIfFinite(m, "train_kl", o.meanKl());
        m.put("replicas", o.replicas());
        m.put("wall_seconds", wall);
        putIfFinite(m, "update_norm", o.updateNorm());
        m.put("skipped", o.skipped());
        m.put("skipped_rounds_total", o.skippedTotal());
        if (o.skipped()) {
            m.put("skip_reason", o.skipReason());
            LOG.warn("round " + o.round() + " skipped (" + o.consecutiveSkips() + " in a row, " + o.skippedTotal() + " in all): " + o.skipReason());
        }
        m.putAll(o.times().metricsFields());
        return m;
    }

    /** Whether the state after round {@code o} is checkpointed: every train.checkpoint-every-rounds good rounds, and the last. */
    boolean checkpointDue(RoundOutcome o) {
        return (!o.skipped() && o.round() % train.checkpointEvery() == 0) || o.round() == totalRounds;
    }

    /** Writes {@code s} as a checkpoint with the resume block of a bit-exact resume. */
    Path checkpoint(SparkTrainer.Start s) {
        ResumeState resume = new ResumeState(ResumeState.DETERMINISM, train.seed(), train.partitions(), train.batchSize(),
                train.averagingFrequency(), out.dataset(), trainExamples, s.round(), s.adam().step(), s.examplesSeen(), s.skippedRounds(),
                s.consecutiveSkips());
        return out.checkpoint(s.round(), s.parameters(), s.adam(), s.examplesSeen(), s.wallSeconds(), resume);
    }

    /**
     * The error that ends a run after too many skipped rounds; the last good state is written as a
     * checkpoint first when the newest checkpoint is older (never over a newer one).
     */
    RuntimeException stop(RoundOutcome o, SparkTrainer.Start lastGood) {
        Path good = CheckpointIO.latest(out.run().checkpoints()).orElse(null);
        long goodRound = good == null ? -1 : CheckpointIO.read(good).metadata().round();
        if (lastGood.round() > goodRound && lastGood.round() > 0) {
            good = checkpoint(lastGood);
        }
        return Errors.numericalFailure("round " + o.round(), train.maxConsecutiveSkips() + " averaging rounds in a row were skipped, the last because "
                        + o.skipReason() + "; the last good checkpoint is " + (good == null ? "none (no round was good)" : good.toString()),
                "lower train.learning-rate or raise train.max-update-norm, then continue with --resume (run.resume=true)");
    }

    /** A term the model does not produce is left out of metrics.jsonl, never written as NaN. */
    private static void putIfFinite(Map<String, Object> m, String key, double value) {
        if (Double.isFinite(value)) {
            m.put(key, value);
        }
    }
}
