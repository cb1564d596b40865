package org.vaespark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.testing.SharedData;
import org.vaespark.jobs.cli.JobCommand;

/** Scripts cannot drift from code: every job a script launches exists, every conf/ file loads, every CLI answers --help. */
class LaunchCatalogTest {
    private static final Path ROOT = SharedData.projectRoot();

    @Test
    void everyJobClassNamedInLaunchPropertiesExistsWithAMain() throws Exception {
        Properties p = launchProperties();
        int jobs = 0;
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("main.")) {
                Class<?> c = Class.forName(p.getProperty(key));
                Method main = c.getMethod("main", String[].class);
                assertTrue(Modifier.isStatic(main.getModifiers()), key);
                assertTrue(JobCommand.class.isAssignableFrom(c), key + " must be a JobCommand");
                jobs++;
            }
        }
        // prepare, train, evaluate, leaderboard, validate, results, ppca; the benchmark jobs are bench.main.* (benchmarks module)
        assertEquals(7, jobs);
        assertTrue(p.getProperty("jvm.flags").contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
        // the test JVM itself is launched from the same home (surefire reads launch.properties)
        assertEquals(p.getProperty("omp.wait.policy"), System.getenv("OMP_WAIT_POLICY"));
        assertEquals(p.getProperty("omp.num.threads"), System.getenv("OMP_NUM_THREADS"));
        assertTrue(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
    }

    @Test
    void theProductionJobsHoldNoBenchmarkOrToolClassesAndNoBenchmarkKeys() throws IOException {
        Properties p = launchProperties();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("bench.main.") || key.equals("bench.read-baseline") || key.startsWith("tools.main.")) {
                String name = p.getProperty(key);
                assertThrows(ClassNotFoundException.class, () -> Class.forName(name), key + " must live outside spark-jobs");
            }
        }
        assertTrue(p.getProperty("bench.jar").startsWith("benchmarks/target/"), "bench.jar");
        for (String key : List.of("benchmark.train-steps=1", "benchmark.family.iwae-k=1", "iwae-benchmark.sgemm-size=1", "m2-benchmark.seconds=1")) {
            VaeException e = assertThrows(VaeException.class, () -> Settings.defaults(key), key);
            assertTrue(e.getMessage().contains(key.substring(0, key.indexOf('='))), e.getMessage());
        }
    }

    @Test
    void everyJobAScriptLaunchesIsInLaunchProperties() throws IOException {
        Properties p = launchProperties();
        Pattern launch = Pattern.compile("launch\\.sh\"? (\\w+)");
        int found = 0;
        try (Stream<Path> scripts = Files.list(ROOT.resolve("submit"))) {
            for (Path script : scripts.filter(f -> f.toString().endsWith(".sh")).toList()) {
                Matcher m = launch.matcher(Files.readString(script));
                while (m.find()) {
                    assertTrue(p.containsKey("main." + m.group(1)) || p.containsKey("bench.main." + m.group(1)),
                            script + " launches unknown job " + m.group(1));
                    found++;
                }
            }
        }
        assertTrue(found >= 6, "expected the job scripts to call launch.sh");
        String quickstart = Files.readString(ROOT.resolve("submit/quickstart.sh"));
        for (String script : List.of("prepare-data.sh", "train.sh", "evaluate.sh", "leaderboard.sh")) {
            assertTrue(quickstart.contains("submit/" + script) && Files.isExecutable(ROOT.resolve("submit/" + script)), script);
        }
    }

    @Test
    void everyConfigurationFileLoads() throws IOException {
        int files = 0;
        try (Stream<Path> confs = Files.walk(ROOT.resolve("conf"))) {
            for (Path f : confs.filter(x -> x.toString().endsWith(".conf")).toList()) {
                Settings s = Settings.load(List.of(f.toString()), List.of());
                String name = f.getFileName().toString();
                org.vaespark.core.model.ImageShape shape = name.contains("cifar") ? new org.vaespark.core.model.ImageShape(32, 32, 3)
                        : name.contains("imagenet") ? new org.vaespark.core.model.ImageShape(64, 64, 3)
                        : new org.vaespark.core.model.ImageShape(28, 28, 1);
                org.vaespark.core.model.VaeConfig.from(s.config(), shape);
                org.vaespark.core.train.TrainConfig.from(s.config());
                org.vaespark.core.eval.EvalConfig.from(s.config());
                files++;
            }
        }
        assertTrue(files >= 7, "found only " + files + " conf files");
    }

    @Test
    void everyReproduceRowLoadsCarriesItsPublishedValueAndTheScriptReadsTheSame() throws Exception {
        List<Path> rows;
        try (Stream<Path> confs = Files.list(ROOT.resolve("conf/experiments/reproduce"))) {
            rows = confs.filter(x -> x.toString().endsWith(".conf")).sorted().toList();
        }
        // the MNIST table of docs/math.md, Published reference numbers: 9 static rows, 5 dynamic ones (VLAE not yet)
        assertEquals(14, rows.size());
        Process list = new ProcessBuilder("bash", ROOT.resolve("submit/reproduce.sh").toString(), "--list").redirectErrorStream(true).start();
        String listed = new String(list.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, list.waitFor(), listed);
        for (Path f : rows) {
            com.typesafe.config.Config c = Settings.load(List.of(f.toString()), List.of()).config();
            String row = f.getFileName().toString().replace(".conf", "");
            double published = c.getDouble("reproduce.published-nll");
            assertTrue(published > 70 && published < 100, row);
            for (String key : List.of("reproduce.title", "reproduce.source", "reproduce.dataset")) {
                assertFalse(c.getIsNull(key), row + " needs " + key);
            }
            assertTrue(List.of("binarized-mnist", "mnist-60k").contains(c.getString("reproduce.dataset")), row);
            assertEquals(c.getString("reproduce.dataset").equals("binarized-mnist") ? "static" : "dynamic", c.getString("data.binarization"), row);
            assertTrue(c.getInt("eval.k") == 5000 && c.getIsNull("eval.max-examples"), row + ": the evaluation protocol is IWAE-5000 on the whole test set");
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(row) + "\\s+(\\S+)\\s+(.+?)\\s{2,}(\\S+)\\s+(.+)$").matcher(listed);
            assertTrue(m.find(), row + " missing from --list:\n" + listed);
            assertEquals(published, Double.parseDouble(m.group(1)), 1e-9, row);
            assertEquals(c.getString("reproduce.source"), m.group(2).trim(), row);
            assertEquals(c.getString("reproduce.dataset"), m.group(3), row);
            assertEquals(c.getString("reproduce.title"), m.group(4).trim(), row);
        }
        String script = Files.readString(ROOT.resolve("submit/reproduce.sh"));
        assertTrue(Files.isExecutable(ROOT.resolve("submit/reproduce.sh")));
        for (String job : List.of("prepare-data.sh", "train.sh", "evaluate.sh")) {
            assertTrue(script.contains("$here/" + job) && Files.isExecutable(ROOT.resolve("submit/" + job)), job);
        }
    }

    @Test
    void everyJobAnswersHelpAndRejectsUnknownKeysByName() {
        for (JobCommand job : List.of(new PrepareJob(), new TrainJob(), new EvaluateJob(), new LeaderboardJob(), new ValidateJob(), new ResultsPageJob())) {
            assertEquals(0, JobCommand.execute(job, new String[]{"--help"}), job.getClass().getSimpleName());
        }
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured));
        int status;
        try {
            status = JobCommand.execute(new TrainJob(), new String[]{"train.epochz=3"});
        } finally {
            System.setErr(err);
        }
        assertEquals(2, status);
        String message = captured.toString();
        assertTrue(message.contains("'train.epochz'") && message.contains("train.epochs"), message);
        assertFalse(message.contains("Exception"), message);
    }

    private static Properties launchProperties() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(ROOT.resolve("submit/launch.properties"))) {
            p.load(r);
        }
        return p;
    }
}
