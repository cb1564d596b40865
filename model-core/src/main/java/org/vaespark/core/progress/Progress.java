package org.vaespark.core.progress;

import com.typesafe.config.Config;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.vaespark.core.config.Keys;

/**
 * A throttled progress line for a long piece of work: done/total, the rate so far and the ETA at
 * that rate, logged at most once every {@code progress.interval-seconds} (and once at the end).
 * The caller reports how far it got as often as it likes; only the reports that fall due print.
 * Thread-safe: a listener thread and the job's thread may both report.
 */
public final class Progress {
    /** The one key of the cadence (model-core's reference.conf). */
    public static final String INTERVAL_KEY = "progress.interval-seconds";

    private final Logger log;
    private final String what;
    private final String unit;
    private long total;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final long start;
    private long lastLine;

    /**
     * @param what  the work, as the line starts ("evaluate round-000100 (IWAE-5000)")
     * @param unit  what is counted ("examples")
     * @param total how many there are; 0 or less when unknown (the line then has no ETA)
     */
    public Progress(Logger log, String what, String unit, long total, double intervalSeconds) {
        this(log, what, unit, total, intervalSeconds, System::nanoTime);
    }

    Progress(Logger log, String what, String unit, long total, double intervalSeconds, LongSupplier clock) {
        this.log = log;
        this.what = what;
        this.unit = unit;
        this.total = total;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastLine = start;
    }

    /** The cadence set by {@code progress.interval-seconds}, validated. */
    public static double interval(Config c) {
        return Keys.positiveDouble(c, INTERVAL_KEY);
    }

    /** Sets the total, for work whose size grows as it is discovered (Spark tasks of the stages submitted so far). */
    public synchronized void total(long total) {
        this.total = total;
    }

    /**
     * Records that {@code done} units are finished; logs a line when one is due (also when the count
     * has not moved: a stalled job says so). Returns whether it logged.
     */
    public synchronized boolean update(long done) {
        long now = clock.getAsLong();
        if (now - lastLine < intervalNanos) {
            return false;
        }
        lastLine = now;
        log.info(line(done, now));
        return true;
    }

    /** Logs the closing line: how many in how long, at what rate. */
    public synchronized void finish(long done) {
        long now = clock.getAsLong();
        double seconds = (now - start) / 1e9;
        lastLine = now;
        log.info(String.format(Locale.ROOT, "%s: done, %d %s in %s (%s %s/s)", what, done, unit, duration(seconds), rate(done, seconds), unit));
    }

    /** The line for {@code done} units at time {@code now}. */
    String line(long done, long now) {
        double seconds = (now - start) / 1e9;
        StringBuilder b = new StringBuilder(what).append(": ").append(done);
        if (total > 0) {
            b.append('/').append(total);
        }
        b.append(' ').append(unit);
        if (total > 0) {
            b.append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * done / total));
        }
        b.append(", ").append(rate(done, seconds)).append(' ').append(unit).append("/s");
        if (total > 0 && done > 0) {
            b.append(", ETA ").append(duration(seconds / done * Math.max(0, total - done)));
        }
        return b.toString();
    }

    private static String rate(long done, double seconds) {
        double r = seconds > 0 ? done / seconds : 0;
        return r >= 100 ? String.format(Locale.ROOT, "%.0f", r) : String.format(Locale.ROOT, "%.2f", r);
    }

    /** Seconds as 1h02m, 3m05s. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60) : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
