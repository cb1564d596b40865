package org.vaespark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.jobs.train.RunDirectory;
import picocli.CommandLine;

/** The --resume flag and metrics.jsonl cut back to a checkpoint's round. */
class ResumeFilesTest {
    @TempDir
    Path dir;

    @Test
    void resumeFlagIsRunResumeTrue() {
        TrainJob job = new TrainJob();
        new CommandLine(job).parseArgs("--resume", "run.dir=x");
        assertEquals(List.of("run.resume=true"), job.extraOverrides());
        TrainJob plain = new TrainJob();
        new CommandLine(plain).parseArgs("run.dir=x");
        assertEquals(List.of(), plain.extraOverrides());
    }

    @Test
    void metricsAreCutBackToTheCheckpointRoundAndAHalfWrittenLineIsDropped() throws IOException {
        RunDirectory run = new RunDirectory(dir.resolve("run").toString());
        run.create("{}");
        for (int r = 1; r <= 5; r++) {
            run.appendMetrics(List.of(Map.of("round", r, "train_elbo", -100.0 - r)));
        }
        // a driver killed in the middle of a line
        Files.writeString(dir.resolve("run/metrics.jsonl"), "{\"round\":6,\"train_el", java.nio.file.StandardOpenOption.APPEND);
        run.truncateMetrics(3);
        List<String> lines = Files.readAllLines(dir.resolve("run/metrics.jsonl"));
        assertEquals(3, lines.size(), lines.toString());
        for (int r = 1; r <= 3; r++) {
            assertEquals(true, lines.get(r - 1).contains("\"round\":" + r), lines.get(r - 1));
        }
        run.appendMetrics(List.of(Map.of("round", 4)));
        assertEquals(4, Files.readAllLines(dir.resolve("run/metrics.jsonl")).size(), "appending goes on after the cut");
        try (Stream<Path> s = Files.list(dir.resolve("run"))) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary file left");
        }
        run.truncateMetrics(0);
        assertEquals(List.of(), Files.readAllLines(dir.resolve("run/metrics.jsonl")), "a fresh start keeps no line of an earlier attempt");
    }
}
