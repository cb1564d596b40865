package org.vaespark.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RoundLogTest {

    private static RoundOutcome round(long r, double elbo, double seconds) {
        RoundTimes t = new RoundTimes(0, seconds, seconds, 0, 0, 0, 0, seconds);
        return new RoundOutcome(r, r * 10, 100, 2, elbo, Double.NaN, Double.NaN, false, 1, null, 0, 0, t);
    }

    @Test
    void millisecondRoundsAreSummarisedOncePerInterval() {
        AtomicLong now = new AtomicLong(0);
        RoundLog log = new RoundLog(0, 5000, 10, now::get);
        now.set(2_000_000);
        assertEquals("round 1/5000  epoch 0.01  50000 examples/s  train ELBO -200.000  ETA 10s".replace("10s", "0m10s"),
                log.add(round(1, -200, 0.002), 0.01));
        int lines = 0;
        for (long r = 2; r <= 2500; r++) {
            now.addAndGet(4_000_000);
            if (log.add(round(r, r % 2 == 0 ? -100 : -102, 0.004), r / 100.0) != null) {
                lines++;
            }
        }
        assertEquals(0, lines, "2,499 rounds of 4 ms are less than 10 s");
        now.addAndGet(4_000_000);
        String line = log.add(round(2501, -101, 0.004), 25.01);
        assertEquals("rounds 2-2501/5000  epoch 25.01  25000 examples/s  train ELBO -101.000 (mean of 2500 rounds, 4.0 ms each)  ETA 0m10s",
                line);
        assertNull(log.add(round(2501, -101, 0.004), 25.01), "a round fed again is ignored");
        assertNull(log.add(round(2000, -101, 0.004), 20.00), "and so is an older one");
        now.addAndGet(4_000_000);
        assertEquals("round 5000/5000  epoch 50.00  25000 examples/s  train ELBO -90.000  ETA 0m00s",
                log.add(round(5000, -90, 0.004), 50.00), "the last round always has its line");
    }

    @Test
    void spansOfRoundsFedWholeAreSummarisedLikeRounds() {
        AtomicLong now = new AtomicLong(0);
        RoundLog log = new RoundLog(0, 40, 10, now::get);
        now.set(4_000_000_000L);
        assertEquals("rounds 1-10/40  epoch 1.00  250 examples/s  train ELBO -150.000 (mean of 10 rounds, 400.0 ms each)  ETA 0m12s",
                log.add(1, 10, 1000, 4, -150, 1), "the first span has its line");
        now.addAndGet(4_000_000_000L);
        assertNull(log.add(11, 20, 1000, 4, -140, 2), "4 s since the last line");
        now.addAndGet(8_000_000_000L);
        assertEquals("rounds 11-30/40  epoch 3.00  167 examples/s  train ELBO -135.000 (mean of 20 rounds, 600.0 ms each)  ETA 0m05s",
                log.add(21, 30, 1000, 8, -130, 3), "12 s: one line for both spans, their examples/s and example-weighted ELBO");
        assertNull(log.add(21, 30, 1000, 8, -130, 3), "a span fed again is ignored");
        now.addAndGet(1_000_000_000L);
        assertEquals("rounds 31-40/40  epoch 4.00  1000 examples/s  train ELBO -120.000 (mean of 10 rounds, 100.0 ms each)  ETA 0m00s",
                log.add(31, 40, 1000, 1, -120, 4), "the last span always has its line");
    }
}
