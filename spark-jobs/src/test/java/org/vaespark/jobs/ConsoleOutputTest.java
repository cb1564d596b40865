package org.vaespark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.jobs.testing.ChildJvm;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Settings;
import org.vaespark.core.testing.SharedData;
import org.vaespark.prep.Prepare;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * What a user sees on the console, from real jobs in their own JVMs launched as the scripts launch
 * them (the jobs' log4j2.properties, local Spark): progress lines and the job's warnings, and no
 * library output (SameDiff's prints, Spark's and Hadoop's start-up notes); and a user error raised
 * inside a Spark task as its one message, without Spark's stack trace before it.
 */
class ConsoleOutputTest {
    private static final Path ROOT = SharedData.projectRoot();
    /** A line of the jobs' console layout: time, level, logger (simple name), message. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d (TRACE|DEBUG|INFO|WARN|ERROR) (\\S+): (.*)$");
    private static final Pattern SUMMARY = Pattern.compile("INFO RunBook: rounds (\\d+)-(\\d+)/(\\d+) ");

    @TempDir
    Path dir;

    @Test
    void trainingAndEvaluationShowProgressAndWarningsAndNoLibraryOutput() throws Exception {
        String data = dir.resolve("data").toString();
        Prepare.run(SparkTestSession.get(), Settings.defaults("prepare.source=binarized-mnist",
                "prepare.input=" + ChildJvm.firstRows(dir.resolve("raw"), 200, 200), "prepare.output=" + data));
        Path run = dir.resolve("run");
        // the graph executor: SameDiff builds its gradient function, which prints a line per op
        List<String> common = List.of("data.path=" + data, "run.dir=" + run, "spark.master=local[2]", "model.backend=graph",
                "model.encoder.hidden=[16]", "model.decoder.hidden=[16]", "model.latent-dim=4", "train.batch-size=10",
                "train.averaging-frequency=1", "train.partitions=2", "train.exchange=collective", "train.checkpoint-every-rounds=20",
                "progress.interval-seconds=1");
        List<String> first = new ArrayList<>(common);
        first.add("train.epochs=4");
        ChildJvm.Result trained = run("main.train", first);
        assertEquals(0, trained.exit(), trained.output());
        // a damaged newest checkpoint: the resume passes over it with a warning
        Files.writeString(run.resolve("checkpoints/round-000040").resolve(CheckpointIO.METADATA), "{\"formatVersion\": 1,");
        List<String> resumed = new ArrayList<>(common);
        resumed.addAll(List.of("train.epochs=8", "run.resume=true"));
        ChildJvm.Result more = run("main.train", resumed);
        assertEquals(0, more.exit(), more.output());
        assertTrue(more.output().contains("WARN TrainJob: passing over checkpoint round-000040, resuming from an earlier one"), more.output());
        List<String> progress = more.output().lines().filter(l -> l.contains("INFO RunBook: round")).toList();
        assertTrue(progress.size() >= 2 && progress.size() < 60, "60 rounds (21-80) in a few lines:\n" + more.output());
        assertTrue(progress.get(progress.size() - 1).contains("round 80/80") || progress.get(progress.size() - 1).contains("-80/80"),
                more.output());
        assertTrue(progress.stream().anyMatch(l -> {
            Matcher m = SUMMARY.matcher(l);
            return m.find() && Long.parseLong(m.group(2)) > Long.parseLong(m.group(1)) && l.contains("ETA ") && l.contains("examples/s");
        }), "a line summarises several millisecond rounds:\n" + more.output());

        ChildJvm.Result evaluated = run("main.evaluate", List.of("data.path=" + data, "run.dir=" + run, "results.dir=" + dir.resolve("results"),
                "spark.master=local[2]", "eval.k=20", "progress.interval-seconds=1"));
        assertEquals(0, evaluated.exit(), evaluated.output());
        assertTrue(evaluated.output().contains("INFO CheckpointEvaluation: evaluate run round 80 (IWAE-20 on test): done, 200 examples in "),
                evaluated.output());

        for (ChildJvm.Result c : List.of(trained, more, evaluated)) {
            assertFalse(c.output().contains("Added differentiated op"), c.output());
            assertOnlyOurLines(c.output());
        }
    }

    @Test
    void aUserErrorInsideATaskIsItsOneMessage() throws Exception {
        Path images = dir.resolve("images/train/a");
        Files.createDirectories(images);
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY), "png", images.resolve("good.png").toFile());
        byte[] png = Files.readAllBytes(images.resolve("good.png"));
        Files.write(images.resolve("bad.png"), Arrays.copyOf(png, 40));
        ChildJvm.Result c = run("main.prepare", List.of("prepare.source=image-folder", "prepare.input=" + dir.resolve("images"),
                "prepare.output=" + dir.resolve("out"), "spark.master=local[2]"));
        assertEquals(2, c.exit(), c.output());
        List<String> errors = c.output().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), c.output());
        assertTrue(errors.get(0).contains("not a readable PNG or JPEG image") && errors.get(0).contains("bad.png"), c.output());
        assertFalse(c.output().contains("\tat "), "no stack trace:\n" + c.output());
        for (String spark : List.of("Exception in task", "Lost task", "aborting job", "VaeException")) {
            assertFalse(c.output().contains(spark), spark + ":\n" + c.output());
        }
        assertOnlyOurLines(c.output());
    }

    /** Every log line comes from one of the project's classes; the other lines are the jobs' own prints. */
    private static void assertOnlyOurLines(String output) throws IOException {
        Set<String> ours = ourClasses();
        for (String line : output.lines().toList()) {
            Matcher m = LOG_LINE.matcher(line);
            if (m.matches()) {
                assertTrue(ours.contains(m.group(2)), "a library's log line at the default level: " + line + "\n" + output);
            }
        }
    }

    private static Set<String> ourClasses() throws IOException {
        Set<String> names = new HashSet<>();
        for (String module : List.of("model-core", "data-prep", "spark-jobs")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("target/classes/org/vaespark"))) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class") && !n.contains("$"))
                        .forEach(n -> names.add(n.substring(0, n.length() - ".class".length())));
            }
        }
        return names;
    }

    /** The job {@code main} of submit/launch.properties in its own JVM with the jobs' log4j2.properties. */
    private ChildJvm.Result run(String main, List<String> args) throws Exception {
        // the test classpath also holds a log4j2-test.properties, which log4j would prefer
        return ChildJvm.run(ChildJvm.command(main, List.of("-Dlog4j2.configurationFile="
                + ROOT.resolve("spark-jobs/target/classes/log4j2.properties")), args), dir, Map.of(), 300);
    }
}
