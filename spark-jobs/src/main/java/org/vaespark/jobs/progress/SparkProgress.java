package org.vaespark.jobs.progress;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.vaespark.core.progress.Progress;
import scala.Tuple4;
import scala.collection.JavaConverters;

/**
 * A {@link Progress} line for work that Spark tasks do, polled by the driver about once a second (more
 * often when the interval is shorter) while the work runs, and closed with a final line. Two ways to count:
 * <ul>
 *   <li>{@link #counting}: the tasks add what they finished (examples, images) to a named
 *   {@link LongAccumulator}, which the Spark UI shows with each stage. Spark merges an
 *   accumulator into the driver's value only when a task ends, so this listener also reads the
 *   running tasks' values from the executors' heartbeats ({@code spark.executor.heartbeatInterval},
 *   10 s by default): the line moves while long tasks run. Each task counts once, with its newest
 *   value; a failed attempt's count is dropped (its retry counts again).</li>
 *   <li>{@link #tasks}: finished tasks out of the tasks of the stages submitted so far, for work
 *   whose size is not known in advance (prepare, the leaderboard).</li>
 * </ul>
 */
public final class SparkProgress extends SparkListener implements AutoCloseable {
    private final SparkContext sc;
    private final Progress progress;
    private final LongAccumulator accumulator;
    private final Map<Long, Long> perTask = new ConcurrentHashMap<>();
    private final AtomicLong tasksSubmitted = new AtomicLong();
    private final AtomicLong tasksDone = new AtomicLong();
    private final long pollMillis;
    private final Thread poller;
    private volatile boolean open = true;

    private SparkProgress(SparkContext sc, Progress progress, LongAccumulator accumulator, double intervalSeconds) {
        this.sc = sc;
        this.progress = progress;
        this.accumulator = accumulator;
        this.pollMillis = Math.max(1, Math.min(1000, (long) (intervalSeconds * 1000)));
        sc.addSparkListener(this);
        this.poller = new Thread(this::poll, "vae-progress");
        poller.setDaemon(true);
        poller.start();
    }

    /**
     * Progress of {@code total} {@code unit} that tasks count in {@link #accumulator()}, named
     * "vae progress: {@code what}" in the Spark UI.
     */
    public static SparkProgress counting(SparkContext sc, Logger log, String what, String unit, long total, double intervalSeconds) {
        LongAccumulator acc = sc.longAccumulator("vae progress: " + what);
        return new SparkProgress(sc, new Progress(log, what, unit, total, intervalSeconds), acc, intervalSeconds);
    }

    /** Progress in Spark tasks: those finished out of those of the stages submitted while it is open. */
    public static SparkProgress tasks(SparkContext sc, Logger log, String what, double intervalSeconds) {
        return new SparkProgress(sc, new Progress(log, what, "tasks", 0, intervalSeconds), null, intervalSeconds);
    }

    /** The accumulator the tasks add their finished units to (null when counting tasks). */
    public LongAccumulator accumulator() {
        return accumulator;
    }

    /** How far the work is: the tasks' counts (running ones as of their last heartbeat), or finished tasks. */
    public long done() {
        if (accumulator == null) {
            return tasksDone.get();
        }
        long sum = 0;
        for (long v : perTask.values()) {
            sum += v;
        }
        return sum;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted event) {
        tasksSubmitted.addAndGet(event.stageInfo().numTasks());
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate event) {
        if (accumulator == null) {
            return;
        }
        for (Tuple4<Object, Object, Object, scala.collection.Seq<AccumulableInfo>> u
                : JavaConverters.seqAsJavaList(event.accumUpdates())) {
            Long value = ours(u._4());
            if (value != null) {
                // a heartbeat may trail the task's end: never lower a finished task's count
                perTask.merge((Long) u._1(), value, Math::max);
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
        long task = event.taskInfo().taskId();
        if (!event.taskInfo().successful()) {
            perTask.remove(task);
            return;
        }
        tasksDone.incrementAndGet();
        if (accumulator != null) {
            Long value = ours(event.taskInfo().accumulables());
            if (value != null) {
                perTask.put(task, value);
            }
        }
    }

    private Long ours(scala.collection.Seq<AccumulableInfo> infos) {
        for (AccumulableInfo info : JavaConverters.seqAsJavaList(infos)) {
            if (info.id() == accumulator.id() && info.update().isDefined()) {
                return ((Number) info.update().get()).longValue();
            }
        }
        return null;
    }

    private void poll() {
        while (open) {
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
            if (open) {
                if (accumulator == null) {
                    progress.total(tasksSubmitted.get());
                }
                progress.update(done());
            }
        }
    }

    /** Stops polling and logs the closing line: how many in how long. */
    public void finish() {
        if (open) {
            close();
            progress.finish(accumulator == null ? done() : Math.max(done(), accumulator.value()));
        }
    }

    /** Stops polling (without a closing line when the work did not {@link #finish}). */
    @Override
    public void close() {
        open = false;
        poller.interrupt();
        sc.removeSparkListener(this);
    }
}
