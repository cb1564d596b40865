package org.vaespark.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims on a local results directory: a live batch's claim is respected, a claim whose process on this host has
 * ended (a killed run) is taken over at once, and a claim of another host is respected until its timeout.
 */
class ClaimsTest {
    @TempDir
    Path dir;

    @Test
    void aClaimOfAnEndedProcessOnThisHostIsTakenOverAndOthersAreRespected() throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir.toUri());
        long hour = TimeUnit.HOURS.toMillis(1);
        String here = Claims.host();

        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        writeClaim("a", "batch x on " + here + " pid " + ended.pid() + " since now");
        assertTrue(new Claims(fs, root, hour, "me").tryClaim("a").isPresent(), "its process has ended");
        assertTrue(Files.exists(dir.resolve("a/g-000001")), "the takeover is the next generation");

        writeClaim("b", "batch y on " + here + " pid " + ProcessHandle.current().pid() + " since now");
        assertTrue(new Claims(fs, root, hour, "me").tryClaim("b").isEmpty(), "a live process keeps its claim");

        writeClaim("c", "batch z on some-other-host-" + here + " pid " + ended.pid() + " since now");
        assertTrue(new Claims(fs, root, hour, "me").tryClaim("c").isEmpty(), "another host's process cannot be checked");

        writeClaim("d", "batch w on " + here + " since now");
        assertTrue(new Claims(fs, root, hour, "me").tryClaim("d").isEmpty(), "a claim without a pid waits for its timeout");
        assertFalse(Claims.deadHere("batch w on " + here + " since now"));
        assertEquals(true, Claims.deadHere("batch x on " + here + " pid " + ended.pid() + " since now"));
    }

    private void writeClaim(String key, String text) throws Exception {
        Files.createDirectories(dir.resolve(key));
        Files.writeString(dir.resolve(key).resolve("g-000000"), text);
    }
}
