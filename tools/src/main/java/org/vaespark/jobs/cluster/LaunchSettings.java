package org.vaespark.jobs.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.vaespark.core.errors.Errors;

/**
 * What {@code submit/launch.properties} (the one home of the launch settings) says about the jar,
 * the Maven classpath, the job classes, the JVM flags and OpenMP, with paths resolved against the
 * project root.
 */
public record LaunchSettings(Path root, Properties properties) {

    public static LaunchSettings read(Path root) {
        Path file = root.resolve("submit/launch.properties");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new LaunchSettings(root.toAbsolutePath().normalize(), p);
    }

    /** train-vae.jar, which must have been built ({@code mvn package}). */
    public Path jar() {
        return existing(root.resolve(required("jar")), "train-vae.jar: run mvn -B -DskipTests package");
    }

    /** The Maven classpath file written at build time (Spark, Hadoop and the project's libraries). */
    public Path classpathFile() {
        return existing(root.resolve(required("classpath.file")), "the Maven classpath: run mvn -B -DskipTests package");
    }

    /** The job class launched for {@code job} (train, prepare, ...). */
    public String mainClass(String job) {
        String c = properties.getProperty("main." + job);
        if (c == null) {
            throw Errors.badArgument(job, "unknown job", "use one of the main.* names in submit/launch.properties");
        }
        return c;
    }

    /** The Java 17 --add-opens set and the JavaCPP switches every Spark JVM gets. */
    public List<String> jvmFlags() {
        return Arrays.stream(required("jvm.flags").trim().split("\\s+")).toList();
    }

    public String ompThreads() {
        return required("omp.num.threads");
    }

    public String ompWaitPolicy() {
        return required("omp.wait.policy");
    }

    private String required(String key) {
        String v = properties.getProperty(key);
        if (v == null || v.isBlank()) {
            throw Errors.badArgument(key, "missing from " + root.resolve("submit/launch.properties"), "restore the key");
        }
        return v;
    }

    private static Path existing(Path p, String what) {
        if (!Files.exists(p)) {
            throw Errors.jobFailed(p.toString(), "not found: " + what.substring(0, what.indexOf(':')),
                    what.substring(what.indexOf(':') + 2), null);
        }
        return p;
    }
}
