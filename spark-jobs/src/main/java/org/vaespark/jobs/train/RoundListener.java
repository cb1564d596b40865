package org.vaespark.jobs.train;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's side of the round-time split: sums the task metrics of every stage the training loop
 * runs for a round (tagged with {@link #tag}) and logs one line per completed stage — tasks,
 * executor run and CPU time, GC, task deserialization (which includes fetching the broadcast),
 * result bytes and result serialization, shuffle bytes. Spark delivers listener events
 * asynchronously, so the figures trail the loop; {@link #await} waits for a round's.
 */
public final class RoundListener extends SparkListener {
    /** The local property holding the round number (1-based) of the jobs the loop submits. */
    public static final String ROUND = "vae.round";
    private static final Logger LOG = LoggerFactory.getLogger(RoundListener.class);

    private final Map<Integer, Long> stageRound = new ConcurrentHashMap<>();
    private final Map<Integer, Totals> stages = new ConcurrentHashMap<>();
    private final Map<Long, Totals> rounds = new ConcurrentHashMap<>();

    /**
     * Task-metric sums of a stage or of all stages of a round.
     *
     * @param stages        completed stages
     * @param tasks         tasks that ended (successful or not)
     * @param runMs         executor run time, ms
     * @param cpuMs         executor CPU time, ms
     * @param gcMs          JVM GC time during the tasks, ms
     * @param deserializeMs task deserialization time (closure and broadcast value), ms
     * @param resultBytes   serialized task result bytes (the replicas' parameters and Adam state)
     * @param serializeMs   result serialization time, ms
     * @param shuffleBytes  shuffle bytes written plus read (0 for a one-level treeAggregate)
     */
    public record Totals(int stages, int tasks, long runMs, long cpuMs, long gcMs, long deserializeMs, long resultBytes,
                         long serializeMs, long shuffleBytes) {
        static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0, 0, 0, 0);

        Totals plus(Totals o) {
            return new Totals(stages + o.stages, tasks + o.tasks, runMs + o.runMs, cpuMs + o.cpuMs, gcMs + o.gcMs,
                    deserializeMs + o.deserializeMs, resultBytes + o.resultBytes, serializeMs + o.serializeMs, shuffleBytes + o.shuffleBytes);
        }

        static Totals of(TaskMetrics m) {
            if (m == null) {
                return new Totals(0, 1, 0, 0, 0, 0, 0, 0, 0);
            }
            return new Totals(0, 1, m.executorRunTime(), m.executorCpuTime() / 1_000_000, m.jvmGCTime(), m.executorDeserializeTime(),
                    m.resultSize(), m.resultSerializationTime(), m.shuffleWriteMetrics().bytesWritten() + m.shuffleReadMetrics().totalBytesRead());
        }
    }

    /** Tags the jobs {@code sc} submits from this thread from now on as round {@code round} (also their description in the UI). */
    public static void tag(JavaSparkContext sc, long round) {
        sc.setLocalProperty(ROUND, Long.toString(round));
        sc.setJobDescription("vae training round " + round);
    }

    /** Clears the tag. */
    public static void untag(JavaSparkContext sc) {
        sc.setLocalProperty(ROUND, null);
        sc.setJobDescription(null);
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted event) {
        Properties p = event.properties();
        String round = p == null ? null : p.getProperty(ROUND);
        if (round != null) {
            stageRound.put(event.stageInfo().stageId(), Long.parseLong(round));
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
        if (stageRound.containsKey(event.stageId())) {
            stages.merge(event.stageId(), Totals.of(event.taskMetrics()), Totals::plus);
        }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted event) {
        StageInfo info = event.stageInfo();
        Long round = stageRound.remove(info.stageId());
        if (round == null) {
            return;
        }
        Totals t = stages.getOrDefault(info.stageId(), Totals.ZERO).plus(new Totals(1, 0, 0, 0, 0, 0, 0, 0, 0));
        stages.remove(info.stageId());
        long wallMs = info.submissionTime().isDefined() && info.completionTime().isDefined()
                ? (Long) info.completionTime().get() - (Long) info.submissionTime().get() : -1;
        LOG.info(String.format("round %d stage %d: %d tasks, stage %d ms, executor run %d ms, cpu %d ms, gc %d ms, deserialize %d ms,"
                        + " result %.2f MB (serialize %d ms), shuffle %.2f MB",
                round, info.stageId(), t.tasks(), wallMs, t.runMs(), t.cpuMs(), t.gcMs(), t.deserializeMs(), t.resultBytes() / 1e6,
                t.serializeMs(), t.shuffleBytes() / 1e6));
        synchronized (this) {
            rounds.merge(round, t, Totals::plus);
            notifyAll();
        }
    }

    /** The sums over the completed stages of {@code round}; zero if none completed yet. */
    public Totals round(long round) {
        return rounds.getOrDefault(round, Totals.ZERO);
    }

    /** Waits up to {@code millis} for a completed stage of {@code round}; returns whether one arrived. */
    public synchronized boolean await(long round, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        try {
            while (!rounds.containsKey(round)) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
