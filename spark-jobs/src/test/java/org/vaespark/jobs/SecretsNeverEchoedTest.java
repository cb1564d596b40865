package org.vaespark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.jobs.testing.ChildJvm;
import org.vaespark.core.config.Settings;
import org.vaespark.core.testing.SharedData;
import org.vaespark.jobs.cli.SparkSessions;
import org.vaespark.prep.Prepare;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * Secrets planted through every way into a job (a {@code key=value} argument, a configuration file, an
 * environment variable, a system property) reach no line a failing job prints and no file it writes; and
 * {@code spark.*} arguments reach the Spark session. The jobs run as real JVMs, launched as the scripts do.
 */
class SecretsNeverEchoedTest {
    private static final Path ROOT = SharedData.projectRoot();

    @TempDir
    Path dir;

    @Test
    void sparkArgumentsGoToTheSession() {
        Settings s = Settings.defaults("spark.master=local[2]", "spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000",
                "spark.speculation=true", "spark.speculation.multiplier=2");
        SparkConf conf = SparkSessions.conf("t", s);
        assertEquals("http://127.0.0.1:9000", conf.get("spark.hadoop.fs.s3a.endpoint"));
        assertEquals("true", conf.get("spark.speculation"));
        assertEquals("2", conf.get("spark.speculation.multiplier"));
        assertEquals("local[2]", s.config().getString("spark.master"), "spark.master stays one of our keys");
    }

    @Test
    void anUnknownSecretArgumentIsNamedWithoutItsValue() throws Exception {
        String secret = "SECRET-arg-5a1b2c";
        ChildJvm.Result c = run(List.of("train.access-key=" + secret), List.of(), Map.of());
        assertEquals(2, c.exit(), c.output());
        assertTrue(c.output().contains("unknown configuration key 'train.access-key' [at argument 'train.access-key=***'"), c.output());
        assertNoSecret(c, secret);
    }

    @Test
    void aSecretFromAFileOrTheEnvironmentIsNamedWithoutItsValue() throws Exception {
        String fromEnv = "SECRET-env-7d8e9f";
        String fromFile = "SECRET-file-3c4d5e";
        Path conf = dir.resolve("storage.conf");
        Files.writeString(conf, "storage {\n  password = ${?VAE_TEST_PASSWORD}\n}\n");
        ChildJvm.Result c = run(List.of("--conf", conf.toString()), List.of(), Map.of("VAE_TEST_PASSWORD", fromEnv));
        assertEquals(2, c.exit(), c.output());
        assertTrue(c.output().contains("unknown configuration key 'storage.password'") && c.output().contains("storage.conf: 2"), c.output());
        assertNoSecret(c, fromEnv);
        Files.writeString(conf, "db.token = \"" + fromFile + "\"\n");
        ChildJvm.Result f = run(List.of("--conf", conf.toString()), List.of(), Map.of());
        assertEquals(2, f.exit(), f.output());
        assertTrue(f.output().contains("unknown configuration key 'db.token'"), f.output());
        assertNoSecret(f, fromFile);
    }

    @Test
    void aJobThatFailsAfterWritingItsRunQuotesNoSecret() throws Exception {
        String arg = "SECRET-arg-s3a-11aa";
        String sysprop = "SECRET-sysprop-22bb";
        String syspropOther = "SECRET-sysprop-33cc";
        String env = "SECRET-env-44dd";
        String data = dir.resolve("out/data").toString();
        Prepare.run(SparkTestSession.get(), Settings.defaults("prepare.source=binarized-mnist",
                "prepare.input=" + ChildJvm.firstRows(dir.resolve("raw"), 200, 200), "prepare.output=" + data));
        Path run = dir.resolve("out/run");
        // model.kind=cvae needs a label per example; binarized MNIST has none: the job fails inside a Spark task,
        // after it wrote the run directory.
        ChildJvm.Result c = run(List.of("data.path=" + data, "run.dir=" + run, "spark.master=local[2]", "model.kind=cvae",
                        "model.encoder.hidden=[16]", "model.decoder.hidden=[16]", "model.latent-dim=4", "train.epochs=1",
                        "train.partitions=1", "train.exchange=driver", "spark.hadoop.fs.s3a.secret.key=" + arg,
                        "spark.task.maxFailures=1"),
                List.of("-Dspark.hadoop.fs.s3a.access.key=" + sysprop, "-Dvae.api.token=" + syspropOther),
                Map.of("AWS_SECRET_ACCESS_KEY", env));
        assertNotEquals(0, c.exit(), c.output());
        assertTrue(c.output().contains("Spark settings from the arguments: spark.hadoop.fs.s3a.secret.key=***, spark.task.maxFailures=1"),
                c.output());
        assertTrue(c.output().contains("has no label"), c.output());
        assertTrue(Files.isRegularFile(run.resolve("settings.json")), "the job wrote its run before failing");
        for (String secret : List.of(arg, sysprop, syspropOther, env)) {
            assertNoSecret(c, secret);
        }
    }

    private void assertNoSecret(ChildJvm.Result c, String secret) throws IOException {
        assertFalse(c.output().contains(secret), "the output quotes " + secret + ":\n" + c.output());
        List<Path> written;
        try (Stream<Path> files = Files.walk(dir.resolve("out"))) {
            written = files.filter(Files::isRegularFile).toList();
        }
        for (Path f : written) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(secret), f + " holds " + secret);
        }
    }

    /** TrainJob in its own JVM, launched with the flags of submit/launch.properties, stdout and stderr captured. */
    private ChildJvm.Result run(List<String> args, List<String> jvmProperties, Map<String, String> env) throws Exception {
        Files.createDirectories(dir.resolve("out"));
        return ChildJvm.run(ChildJvm.command("main.train", jvmProperties, args), dir, env, 240);
    }
}
