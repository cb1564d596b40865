package org.vaespark.jobs.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.errors.Errors;
import org.vaespark.jobs.collective.Rendezvous;
import org.vaespark.jobs.collective.ReportChannel;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import scala.reflect.ClassTag$;

/**
 * Parameter averaging (McDonald et al. 2010; Zhang et al. 2015) with the averaging done by the tasks
 * themselves: the remaining rounds run as one Spark barrier stage whose tasks run
 * {@link CollectiveSegment}'s loop (local steps → mean over shared memory or a TCP mesh between the
 * tasks → {@code UpdateGuard}). At every multiple of train.checkpoint-every-rounds rank 0 sends the
 * driver a report (the rounds' outcomes and the state) over a {@link ReportChannel} and trains on; the
 * driver logs those rounds and checkpoints while the stage runs. A round then costs the exchange of the
 * replicas' parameters and moments between the tasks (milliseconds) instead of a Spark job, a broadcast
 * and a treeAggregate through the driver ({@link SparkTrainer}, {@code train.exchange = driver}), and a
 * checkpoint costs rank 0 the copy of its state.
 *
 * <p>The result is bit-for-bit that of {@link SparkTrainer}: the same local steps, the same sums in
 * the same order, the same verdicts, the same checkpoints. The tasks find each other through a
 * {@link Rendezvous} the driver opens for each stage. A task that fails (a lost executor, a peer silent
 * for {@code train.exchange-timeout-seconds}) fails the barrier stage, Spark stops its other tasks, and
 * the driver reruns the rest of the run from the last state rank 0 reported, whose batches and noise
 * are pure functions of (seed, partition, step): the rerun gives the same bits. Barrier stages need as
 * many free task slots as partitions, cannot run with dynamic allocation, and are never speculated;
 * executors must reach the driver's host (as they do for Spark itself) and each other on ephemeral ports.
 */
public final class CollectiveTrainer implements AveragingLoop {
    private static final Logger LOG = LoggerFactory.getLogger(CollectiveTrainer.class);
    private final TrainingRun out;
    private final ExchangeConfig exchange;
    private final List<RoundTimes> roundTimes = new ArrayList<>();

    public CollectiveTrainer(TrainingRun out, ExchangeConfig exchange) {
        this.out = out;
        this.exchange = exchange;
    }

    /** The round times of the last {@link #train} call, one per round it ran. */
    @Override
    public List<RoundTimes> roundTimes() {
        return List.copyOf(roundTimes);
    }

    /** Trains until {@code totalRounds}; returns the path of the final checkpoint (null when no round ran). */
    @Override
    public Path train(JavaSparkContext sc, JavaRDD<Shard> shards, SparkTrainer.Start start, long totalRounds) {
        check(sc, out.train().partitions());
        roundTimes.clear();
        TaskCounters counters = TaskCounters.register(sc.sc());
        long trainExamples = shards.map(Shard::size).reduce(Integer::sum);
        Book book = new Book(new RunBook(out, trainExamples, start, totalRounds), start, CheckpointLatents.of(out, shards));
        int attempts = sc.getConf().getInt("spark.stage.maxConsecutiveAttempts", 4);
        int failures = 0;
        while (book.state.round() < totalRounds) {
            long from = book.state.round();
            try {
                stage(sc, shards, counters, book, totalRounds);
            } catch (SparkException e) {
                // Spark aborts a job whose barrier result stage lost a task (it never reruns one), so the stage is rerun here from
                // the last state rank 0 reported: a pure function of it, it gives the same bits
                failures = book.state.round() > from ? 1 : failures + 1;
                if (failures >= attempts) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                LOG.warn(String.format("averaging segment of rounds %d-%d failed (attempt %d of %d): %s; rerunning it from its start",
                        book.state.round() + 1, totalRounds, failures, attempts, e.getMessage()));
            }
        }
        return book.last;
    }

    /** The driver's side of a run: the state to continue from, the last state a round applied, the newest checkpoint. */
    private final class Book {
        final RunBook run;
        /** When the current stage was submitted, until its first report is recorded; then -1. */
        long stageSubmitted = -1;
        SparkTrainer.Start state;
        SparkTrainer.Start lastGood;
        Path last;
        /** The checkpoint lines' latent figures, or null when off. */
        final CheckpointLatents latents;

        Book(RunBook run, SparkTrainer.Start start, CheckpointLatents latents) {
            this.run = run;
            this.latents = latents;
            this.state = start;
            this.lastGood = start;
        }

        /** Takes what rank 0 sent (a glimpse or a report; null: nothing). */
        void take(Object sent) {
            if (sent instanceof CollectiveSegment.Glimpse g) {
                long examplesSeen = state.examplesSeen();
                for (RoundOutcome o : g.rounds()) {
                    examplesSeen += o.examples();
                    run.observe(o, examplesSeen);
                }
            } else if (sent != null) {
                record((CollectiveSegment.Result) sent);
            }
        }

        /**
         * Records a report of rank 0: logs and appends its rounds' lines, then checkpoints. The first
         * round of a stage carries the stage's start-up (the time from its submission to its first
         * report, less the report's rounds), so the lines add up to the wall time; later reports' lines
         * and checkpoints are written while the stage runs on and cost no round time.
         */
        void record(CollectiveSegment.Result r) {
            double sinceStart = stageSubmitted < 0 ? 0 : (System.nanoTime() - stageSubmitted) / 1e9;
            stageSubmitted = -1;
            double inTasks = r.rounds().stream().mapToDouble(o -> o.times().round()).sum();
            double overhead = Math.max(0, sinceStart - inTasks);
            double wall = run.wall() - inTasks - overhead;
            long examplesSeen = state.examplesSeen();
            long written = System.nanoTime();
            RoundOutcome o = null;
            List<Map<String, Object>> lines = new ArrayList<>();
            for (int i = 0; i < r.rounds().size(); i++) {
                o = r.rounds().get(i);
                RoundTimes t = o.times();
                if (i == 0 && overhead > 0) {
                    t = new RoundTimes(overhead, t.localSteps(), t.localStepsMean(), t.aggregate(), t.driverUpdate(), 0, 0, t.round() + overhead);
                    o = o.withTimes(t);
                }
                wall += t.round();
                examplesSeen += o.examples();
                roundTimes.add(t);
                lines.add(run.line(o, examplesSeen, wall));
                run.observe(o, examplesSeen);
                if (o.round() == r.goodRound()) {
                    // the report's last applied round: its parameters and moments are the report's, at that round's step
                    lastGood = new SparkTrainer.Start(r.parameters(), new AdamState(r.adam().m(), r.adam().v(), o.adamStep()), o.round(),
                            examplesSeen, wall, o.skippedTotal(), 0);
                }
            }
            if (o == null) {
                return;
            }
            if (latents != null && run.checkpointDue(o)) {
                lines.get(lines.size() - 1).putAll(latents.measure(out.model(), r.parameters()));
            }
            // one append for the report's lines, before its checkpoint
            out.run().appendMetrics(lines);
            state = new SparkTrainer.Start(r.parameters(), r.adam(), o.round(), examplesSeen, wall, o.skippedTotal(), o.consecutiveSkips());
            if (o.skipped() && o.consecutiveSkips() >= out.train().maxConsecutiveSkips()) {
                throw run.stop(o, lastGood);
            }
            if (run.checkpointDue(o)) {
                last = run.checkpoint(state);
            }
            LOG.debug("report to round {}: lines and checkpoint {} s", o.round(), (System.nanoTime() - written) / 1e9);
        }
    }

    /**
     * Runs rounds [book.state.round(), end) as one barrier stage: rank 0 reports at every multiple of
     * train.checkpoint-every-rounds over a {@link ReportChannel}, which the driver records (metrics lines,
     * checkpoint) while the stage goes on, and returns the rest at its end.
     */
    private void stage(JavaSparkContext sc, JavaRDD<Shard> shards, TaskCounters counters, Book book, long end) throws SparkException {
        String host = sc.getConf().get("spark.driver.host", "127.0.0.1");
        String bind = sc.getConf().get("spark.driver.bindAddress", host);
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, exchange.timeoutSeconds() * 1000L);
        SparkTrainer.Start state = book.state;
        long submitted = System.nanoTime();
        try (Rendezvous rendezvous = Rendezvous.open(bind, out.train().partitions(), timeoutMs);
             ReportChannel.Sink reports = ReportChannel.Sink.open(bind, host)) {
            String address = host + rendezvous.address().substring(rendezvous.address().lastIndexOf(':'));
            Broadcast<CollectiveSegment.Input> input = sc.broadcast(new CollectiveSegment.Input(out.model(), out.train(), exchange,
                    state.parameters(), state.adam(), state.round(), end, state.skippedRounds(), state.consecutiveSkips(), address,
                    reports.address(), UUID.randomUUID().toString(), out.progressSeconds()));
            String group = "vae-collective-" + UUID.randomUUID();
            // Spark's job properties are per thread: the stage's are set on the thread that submits it
            CompletableFuture<List<CollectiveSegment.Result>> results = CompletableFuture.supplyAsync(() -> {
                sc.setJobGroup(group, "vae training rounds " + (state.round() + 1) + "-" + end, true);
                RoundListener.tag(sc, state.round() + 1);
                try {
                    return shards.rdd().barrier()
                            .mapPartitions(new CollectiveSegment.Task(input, counters), false, ClassTag$.MODULE$.apply(CollectiveSegment.Result.class))
                            .toJavaRDD().collect();
                } finally {
                    RoundListener.untag(sc);
                    sc.clearJobGroup();
                }
            }, STAGES);
            book.stageSubmitted = submitted;
            try {
                while (!results.isDone()) {
                    book.take(reports.poll(10));
                }
                List<CollectiveSegment.Result> last = results.join();
                // the stream ends once rank 0's task has returned; its reports come before its result
                if (!reports.awaitEnd(timeoutMs)) {
                    throw new IllegalStateException("rank 0's reports did not end within " + timeoutMs / 1000 + " s of its task");
                }
                if (reports.failure() != null) {
                    throw new IllegalStateException("rank 0's reports to the driver broke off: " + reports.failure().getMessage(),
                            reports.failure());
                }
                drain(reports, book);
                book.record(last.get(0));
            } catch (CompletionException e) {
                // the reports that arrived before the failure hold finished checkpoint periods: the rerun starts after them
                drain(reports, book);
                if (e.getCause() instanceof SparkException se) {
                    throw se;
                }
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while training", e);
            } finally {
                if (!results.isDone()) {
                    sc.cancelJobGroup(group);
                }
                input.destroy();
            }
        }
    }

    private static void drain(ReportChannel.Sink reports, Book book) {
        for (Object r = reports.poll(); r != null; r = reports.poll()) {
            book.take(r);
        }
    }

    /** Where the driver waits for a stage's result while it records the stage's reports. */
    private static final java.util.concurrent.Executor STAGES = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vae-collective-stage");
        t.setDaemon(true);
        return t;
    });

    private static void check(JavaSparkContext sc, int partitions) {
        if (sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false)) {
            throw Errors.badConfigValue(ExchangeConfig.KIND_KEY, "collective",
                    "driver while spark.dynamicAllocation.enabled=true (the collective exchange runs in a Spark barrier stage, which"
                            + " needs every partition's task running at once and cannot run with dynamic allocation)");
        }
        // Local mode has all its slots from the start; a cluster's executors may still be registering, and Spark waits for them.
        int slots = sc.sc().maxNumConcurrentTasks(sc.sc().resourceProfileManager().defaultResourceProfile());
        if (sc.isLocal() && slots < partitions) {
            throw Errors.badConfigValue("train.partitions", Integer.toString(partitions), "at most " + slots + " with master " + sc.master()
                    + " and train.exchange=collective (all partitions' tasks run at once), or train.exchange=driver");
        }
    }
}
