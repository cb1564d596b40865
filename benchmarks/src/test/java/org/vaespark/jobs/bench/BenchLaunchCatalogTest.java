package org.vaespark.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.testing.SharedData;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.cli.JobCommand;

/**
 * The benchmarks' side of LaunchCatalogTest: every bench.main.* job of submit/launch.properties exists here and
 * answers --help, ReadBaseline is where benchmark-prepare.sh looks, the benchmark keys come from this module's
 * reference.conf, and every benchmark experiment (benchmarks/conf) loads, with one speed experiment per model file.
 */
class BenchLaunchCatalogTest {
    private static final Path ROOT = SharedData.projectRoot();

    @Test
    void everyBenchmarkJobOfLaunchPropertiesIsHereAndAnswersHelp() throws Exception {
        Properties p = launchProperties();
        List<String> jobs = new ArrayList<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("bench.main.")) {
                Class<?> c = Class.forName(p.getProperty(key));
                assertTrue(Modifier.isStatic(c.getMethod("main", String[].class).getModifiers()), key);
                assertTrue(JobCommand.class.isAssignableFrom(c), key + " must be a JobCommand");
                assertEquals(0, JobCommand.execute((JobCommand) c.getDeclaredConstructor().newInstance(), new String[]{"--help"}), key);
                jobs.add(key);
            }
        }
        assertEquals(4, jobs.size(), jobs.toString());
        Method baseline = Class.forName(p.getProperty("bench.read-baseline")).getMethod("main", String[].class);
        assertTrue(Modifier.isStatic(baseline.getModifiers()));
        assertEquals("benchmarks/target/vae-benchmarks.jar", p.getProperty("bench.jar"));
    }

    @Test
    void theBenchmarkKeysComeFromThisModule() {
        Settings s = Settings.defaults("benchmark.family.iwae-k=7", "iwae-benchmark.sgemm-repeats=3", "m2-benchmark.round-steps=5");
        assertEquals(7, s.config().getInt("benchmark.family.iwae-k"));
        assertEquals(600, s.config().getInt("benchmark.train-steps"));
        List<String> family = s.config().getStringList("benchmark.family.experiments");
        assertEquals(6, family.size());
        for (String experiment : family) {
            assertTrue(Files.isRegularFile(ROOT.resolve(experiment)), "benchmark.family.experiments names a missing " + experiment);
        }
    }

    @Test
    void everyBenchmarkExperimentLoads() throws IOException {
        int files = 0;
        int speed = 0;
        try (Stream<Path> confs = Files.walk(ROOT.resolve("benchmarks/conf"))) {
            for (Path f : confs.filter(x -> x.toString().endsWith(".conf")).toList()) {
                Settings s = Settings.load(List.of(f.toString()), List.of());
                ImageShape shape = f.getFileName().toString().contains("cifar") ? new ImageShape(32, 32, 3) : new ImageShape(28, 28, 1);
                VaeConfig.from(s.config(), shape);
                TrainConfig.from(s.config());
                EvalConfig.from(s.config());
                files++;
                speed += f.getParent().getFileName().toString().equals("speed") ? 1 : 0;
            }
        }
        assertTrue(files > speed, "family and m2 experiments live in benchmarks/conf too");
        try (Stream<Path> models = Files.list(ROOT.resolve("conf/models"))) {
            // one speed experiment per model file (family-speed.sh runs them all)
            assertEquals(models.filter(x -> x.toString().endsWith(".conf")).count(), speed);
        }
    }

    private static Properties launchProperties() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(ROOT.resolve("submit/launch.properties"))) {
            p.load(r);
        }
        return p;
    }
}
