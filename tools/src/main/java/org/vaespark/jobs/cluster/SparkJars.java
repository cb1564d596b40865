package org.vaespark.jobs.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

/**
 * The jars of a Spark installation, taken from the Maven classpath the build writes
 * ({@code spark-jobs/target/classpath.txt}): Spark, Scala, Hadoop and their dependencies, without
 * the project's own modules and the libraries only the job needs (ND4J, JavaCPP with its native
 * libraries, picocli, Typesafe Config, XChart). Cluster daemons and executors run from these, so
 * ND4J and its natives can only reach an executor inside train-vae.jar, as on a real cluster where
 * nothing is installed for the job.
 */
public final class SparkJars {
    /** Maven group paths of the job's own libraries: present in train-vae.jar, absent from a Spark installation. */
    static final List<String> JOB_ONLY_GROUPS = List.of("/org/nd4j/", "/org/bytedeco/", "/org/deeplearning4j/", "/org/vaespark/",
            "/info/picocli/", "/com/typesafe/config/", "/org/knowm/");

    private SparkJars() {
    }

    /** The Spark installation's jars among the entries of {@code classpathFile}, leaving out anything under {@code projectRoot}. */
    public static List<Path> fromClasspathFile(Path classpathFile, Path projectRoot) {
        try {
            return select(Files.readString(classpathFile).trim(), projectRoot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + classpathFile, e);
        }
    }

    static List<Path> select(String classpath, Path projectRoot) {
        Path root = projectRoot.toAbsolutePath().normalize();
        return Arrays.stream(classpath.split(java.io.File.pathSeparator))
                .filter(e -> !e.isBlank())
                .map(e -> Paths.get(e).toAbsolutePath().normalize())
                .filter(p -> p.toString().endsWith(".jar") && !p.startsWith(root))
                .filter(p -> JOB_ONLY_GROUPS.stream().noneMatch(g -> p.toString().replace('\\', '/').contains(g)))
                .toList();
    }

    /** The jars as one classpath string. */
    public static String classpath(List<Path> jars) {
        return String.join(java.io.File.pathSeparator, jars.stream().map(Path::toString).toList());
    }
}
