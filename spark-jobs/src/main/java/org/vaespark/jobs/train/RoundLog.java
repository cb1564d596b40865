package org.vaespark.jobs.train;

import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.progress.Progress;

/**
 * Training's progress lines, at the cadence of {@code progress.interval-seconds} whatever the
 * checkpoint period: the first round, then a line whenever one is due, and the last round. When
 * rounds take milliseconds a line summarises the rounds since the previous one (their span, the
 * examples/s over them, their example-weighted mean ELBO, the mean round time) instead of one
 * line per round. Rounds are fed in order; a round already shown is ignored, so the collective
 * exchange may feed a round from an early glimpse and again from its checkpoint report. An engine that
 * sees only spans of rounds (the DL4J engine's epochs) feeds each span whole.
 */
public final class RoundLog {
    private static final Logger LOG = LoggerFactory.getLogger(RunBook.class);

    private final long firstRound;
    private final long totalRounds;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final long t0;
    private long lastLine;
    private long shown;
    private long from = -1;
    private long examples;
    private double seconds;
    private double elboSum;
    private long elboExamples;

    /** Lines for rounds {@code firstRound + 1} to {@code totalRounds}, about every {@code intervalSeconds}. */
    public RoundLog(long firstRound, long totalRounds, double intervalSeconds) {
        this(firstRound, totalRounds, intervalSeconds, System::nanoTime);
    }

    RoundLog(long firstRound, long totalRounds, double intervalSeconds, LongSupplier clock) {
        this.firstRound = firstRound;
        this.totalRounds = totalRounds;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.clock = clock;
        this.t0 = clock.getAsLong();
        this.lastLine = t0;
        this.shown = firstRound;
    }

    /** The newest round fed. */
    long shown() {
        return shown;
    }

    /** Feeds round {@code o}, which ends at {@code epoch}; returns the line it logged, or null. */
    String add(RoundOutcome o, double epoch) {
        return add(o.round(), o.round(), o.examples(), o.times().round(), o.meanElbo(), epoch);
    }

    /**
     * Feeds rounds {@code first} to {@code last}, done as one piece of work: {@code examples} in {@code roundSeconds},
     * with mean ELBO {@code meanElbo} (NaN: none), ending at {@code epoch}. Returns the line it logged, or null.
     */
    public String add(long first, long last, long examples, double roundSeconds, double meanElbo, double epoch) {
        if (last <= shown) {
            return null;
        }
        shown = last;
        if (from < 0) {
            from = first;
        }
        this.examples += examples;
        seconds += roundSeconds;
        if (Double.isFinite(meanElbo)) {
            elboSum += meanElbo * examples;
            elboExamples += examples;
        }
        long now = clock.getAsLong();
        boolean due = first == firstRound + 1 || last == totalRounds || now - lastLine >= intervalNanos;
        if (!due) {
            return null;
        }
        String line = line(last, epoch, now);
        LOG.info(line);
        lastLine = now;
        from = -1;
        this.examples = 0;
        seconds = 0;
        elboSum = 0;
        elboExamples = 0;
        return line;
    }

    private String line(long round, double epoch, long now) {
        long n = round - from + 1;
        double eta = (now - t0) / 1e9 / (round - firstRound) * (totalRounds - round);
        String perSecond = seconds > 0 ? String.format(Locale.ROOT, "%.0f", examples / seconds) : "n/a";
        String elbo = elboExamples > 0 ? String.format(Locale.ROOT, "%.3f", elboSum / elboExamples) : "n/a (no round applied)";
        String rounds = n == 1 ? "round " + round : "rounds " + from + "-" + round;
        String mean = n == 1 ? "" : String.format(Locale.ROOT, " (mean of %d rounds, %.1f ms each)", n, 1000 * seconds / n);
        return String.format(Locale.ROOT, "%s/%d  epoch %.2f  %s examples/s  train ELBO %s%s  ETA %s", rounds, totalRounds, epoch,
                perSecond, elbo, mean, Progress.duration(eta));
    }
}
