package org.vaespark.core.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;

class ProgressTest {

    @Test
    void logsOnlyWhenALineIsDueWithRateAndEta() {
        AtomicLong now = new AtomicLong(0);
        Progress p = new Progress(LoggerFactory.getLogger(ProgressTest.class), "evaluate round-000010", "examples", 10_000, 10, now::get);
        now.set(4_000_000_000L);
        assertFalse(p.update(500), "4 s after the start no line is due");
        now.set(10_000_000_000L);
        assertTrue(p.update(2_500));
        assertEquals("evaluate round-000010: 2500/10000 examples (25%), 250 examples/s, ETA 0m30s", p.line(2_500, now.get()));
        now.set(15_000_000_000L);
        assertFalse(p.update(3_000), "5 s after the last line");
        now.set(20_000_000_000L);
        assertTrue(p.update(3_000), "a stalled count is still reported when due");
    }

    @Test
    void anUnknownTotalHasNoEta() {
        Progress p = new Progress(LoggerFactory.getLogger(ProgressTest.class), "prepare", "tasks", 0, 10, () -> 0);
        assertEquals("prepare: 3 tasks, 0.00 tasks/s", p.line(3, 0));
    }

    @Test
    void theIntervalHasOneHomeAndIsChecked() {
        assertEquals(10, Progress.interval(Settings.defaults().config()));
        assertEquals(2.5, Progress.interval(Settings.defaults("progress.interval-seconds=2.5").config()));
        VaeException e = assertThrows(VaeException.class, () -> Progress.interval(Settings.defaults("progress.interval-seconds=0").config()));
        assertTrue(e.getMessage().contains("progress.interval-seconds"), e.getMessage());
    }

    @Test
    void durations() {
        assertEquals("0m59s", Progress.duration(59.4));
        assertEquals("2h05m", Progress.duration(7500));
    }
}
