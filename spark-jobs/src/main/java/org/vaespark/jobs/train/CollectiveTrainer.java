package org.vaespark.jobs.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.errors.Errors;
import org.vaespark.jobs.collective.Rendezvous;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import scala.reflect.ClassTag$;

/**
 * Parameter averaging (McDonald et al. 2010; Zhang et al. 2015) with the averaging done by the tasks
 * themselves: the rounds between two checkpoints form one segment, one Spark barrier stage whose
 * tasks run {@link CollectiveSegment}'s loop (local steps → mean over a TCP mesh between the tasks →
 * {@code UpdateGuard}) and hand the state back to the driver at the segment's end, which logs every
 * round, checkpoints and starts the next segment. A round then costs the exchange of the replicas'
 * parameters and moments between the tasks (milliseconds) instead of a Spark job, a broadcast and a
 * treeAggregate through the driver ({@link SparkTrainer}, {@code train.exchange = driver}).
 *
 * <p>The result is bit-for-bit that of {@link SparkTrainer}: the same local steps, the same sums in
 * the same order, the same verdicts. The tasks find each other through a {@link Rendezvous} the driver
 * opens for each segment. A task that fails (a lost executor, a peer silent for
 * {@code train.exchange-timeout-seconds}) fails the barrier stage, Spark stops its other tasks, and
 * the driver reruns the segment from its broadcast start, whose batches and noise are pure functions
 * of (seed, partition, step): the rerun gives the same bits. Barrier stages need as many free task
 * slots as partitions, cannot run with dynamic allocation, and are never speculated; executors must
 * reach the driver's host (as they do for Spark itself) and each other on ephemeral ports.
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
        TrainConfig train = out.train();
        long trainExamples = shards.map(Shard::size).reduce(Integer::sum);
        RunBook book = new RunBook(out, trainExamples, start, totalRounds);
        SparkTrainer.Start state = start;
        SparkTrainer.Start lastGood = start;
        Path last = null;
        double bookkeeping = 0;
        double checkpointing = 0;
        try {
            while (state.round() < totalRounds) {
                long end = Math.min(totalRounds, (state.round() / train.checkpointEvery() + 1) * train.checkpointEvery());
                long submitted = System.nanoTime();
                RoundListener.tag(sc, state.round() + 1);
                CollectiveSegment.Result r = segment(sc, shards, counters, state, end);
                double segment = (System.nanoTime() - submitted) / 1e9;
                double inTasks = r.rounds().stream().mapToDouble(o -> o.times().round()).sum();
                double overhead = Math.max(0, segment - inTasks);
                double wall = book.wall() - segment;
                long examplesSeen = state.examplesSeen();
                long written = System.nanoTime();
                RoundOutcome o = null;
                List<Map<String, Object>> lines = new ArrayList<>();
                for (int i = 0; i < r.rounds().size(); i++) {
                    o = r.rounds().get(i);
                    RoundTimes t = o.times();
                    if (i == 0) {
                        t = new RoundTimes(overhead, t.localSteps(), t.localStepsMean(), t.aggregate(), t.driverUpdate(), checkpointing,
                                bookkeeping, t.round() + overhead + checkpointing + bookkeeping);
                        o = o.withTimes(t);
                    }
                    wall += t.round() - (i == 0 ? checkpointing + bookkeeping : 0);
                    examplesSeen += o.examples();
                    roundTimes.add(t);
                    lines.add(book.line(o, examplesSeen, wall));
                    if (o.round() == r.goodRound()) {
                        // the segment's last applied round: rank 0 returned its state
                        lastGood = new SparkTrainer.Start(r.goodParameters(), r.goodAdam(), o.round(), examplesSeen, wall, o.skippedTotal(), 0);
                    }
                }
                // one append for the segment's lines, before its checkpoint
                out.run().appendMetrics(lines);
                bookkeeping = (System.nanoTime() - written) / 1e9;
                long checkpointStart = System.nanoTime();
                state = new SparkTrainer.Start(r.parameters(), r.adam(), o.round(), examplesSeen, wall, o.skippedTotal(), o.consecutiveSkips());
                if (o.skipped() && o.consecutiveSkips() >= train.maxConsecutiveSkips()) {
                    throw book.stop(o, lastGood);
                }
                if (book.checkpointDue(o)) {
                    last = book.checkpoint(state);
                }
                checkpointing = (System.nanoTime() - checkpointStart) / 1e9;
            }
            return last;
        } finally {
            RoundListener.untag(sc);
        }
    }

    /**
     * Runs rounds [state.round(), end) as one barrier stage and returns rank 0's report. Spark aborts a
     * job whose barrier result stage lost a task (it never reruns one), so the segment is rerun here from
     * its start, up to spark.stage.maxConsecutiveAttempts times: a pure function of its input, it gives
     * the same bits.
     */
    private CollectiveSegment.Result segment(JavaSparkContext sc, JavaRDD<Shard> shards, TaskCounters counters, SparkTrainer.Start state,
                                             long end) {
        int attempts = sc.getConf().getInt("spark.stage.maxConsecutiveAttempts", 4);
        String host = sc.getConf().get("spark.driver.host", "127.0.0.1");
        String bind = sc.getConf().get("spark.driver.bindAddress", host);
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, exchange.timeoutSeconds() * 1000L);
        for (int attempt = 1; ; attempt++) {
            try (Rendezvous rendezvous = Rendezvous.open(bind, out.train().partitions(), timeoutMs)) {
                String address = host + rendezvous.address().substring(rendezvous.address().lastIndexOf(':'));
                Broadcast<CollectiveSegment.Input> input = sc.broadcast(new CollectiveSegment.Input(out.model(), out.train(), exchange,
                        state.parameters(), state.adam(), state.round(), end, state.skippedRounds(), state.consecutiveSkips(), address,
                        UUID.randomUUID().toString()));
                try {
                    List<CollectiveSegment.Result> results = shards.rdd().barrier()
                            .mapPartitions(new CollectiveSegment.Task(input, counters), false, ClassTag$.MODULE$.apply(CollectiveSegment.Result.class))
                            .toJavaRDD().collect();
                    return results.get(0);
                } catch (Exception e) {
                    // Spark's job failures are SparkExceptions (checked, undeclared by Scala)
                    if (!(e instanceof SparkException) || attempt >= attempts) {
                        throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
                    }
                    LOG.warn(String.format("averaging segment of rounds %d-%d failed (attempt %d of %d): %s; rerunning it from its start",
                            state.round() + 1, end, attempt, attempts, e.getMessage()));
                } finally {
                    input.destroy();
                }
            }
        }
    }

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
