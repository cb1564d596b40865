package org.vaespark.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.testing.SharedData;

/** The cluster's "Spark installation" holds Spark and not ND4J; submissions carry the launch settings. */
class SparkJarsTest {
    private static final Path ROOT = SharedData.projectRoot();

    @Test
    void sparkJarsLoadTheDaemonsButNotNd4j() throws Exception {
        List<Path> jars = SparkJars.fromClasspathFile(ROOT.resolve("spark-jobs/target/classpath.txt"), ROOT);
        assertTrue(jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("spark-core_2.12-")), jars.toString());
        assertTrue(jars.stream().noneMatch(p -> p.startsWith(ROOT)), "no project module");
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = jars.get(i).toUri().toURL();
        }
        try (URLClassLoader spark = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Class.forName(StandaloneCluster.MASTER_CLASS, false, spark);
            Class.forName(StandaloneCluster.WORKER_CLASS, false, spark);
            Class.forName(StandaloneCluster.EXECUTOR_CLASS, false, spark);
            Class.forName("org.apache.spark.deploy.SparkSubmit", false, spark);
            assertThrows(ClassNotFoundException.class, () -> Class.forName("org.nd4j.linalg.factory.Nd4j", false, spark));
            assertThrows(ClassNotFoundException.class, () -> Class.forName("org.bytedeco.javacpp.Loader", false, spark));
            assertThrows(ClassNotFoundException.class, () -> Class.forName("org.vaespark.jobs.TrainJob", false, spark));
        }
    }

    @Test
    void selectDropsJobLibrariesAndProjectOutputs() {
        String cp = String.join(java.io.File.pathSeparator, "/m2/org/apache/spark/spark-core_2.12/3.5.3/spark-core_2.12-3.5.3.jar",
                "/m2/org/nd4j/nd4j-api/1.0.0-M2.1/nd4j-api-1.0.0-M2.1.jar", "/m2/org/bytedeco/javacpp/1.5.7/javacpp-1.5.7.jar",
                "/proj/model-core/target/model-core-0.1.0.jar", "/m2/com/fasterxml/jackson/core/jackson-core/2.15.2/jackson-core-2.15.2.jar");
        assertEquals(List.of(Path.of("/m2/org/apache/spark/spark-core_2.12/3.5.3/spark-core_2.12-3.5.3.jar"),
                Path.of("/m2/com/fasterxml/jackson/core/jackson-core/2.15.2/jackson-core-2.15.2.jar")), SparkJars.select(cp, Path.of("/proj")));
    }

    @Test
    void submissionCarriesLaunchFlagsAndAbsoluteConfFiles(@TempDir Path dir) throws Exception {
        LaunchSettings launch = LaunchSettings.read(ROOT);
        Map<String, String> conf = ClusterSubmit.defaults(launch, 2);
        assertTrue(conf.get("spark.executor.extraJavaOptions").contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
        assertEquals(launch.ompThreads(), conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("2", conf.get("spark.cores.max"));
        Path confFile = Files.writeString(dir.resolve("x.conf"), "train.epochs = 1\n");
        Path relative = Path.of("").toAbsolutePath().relativize(confFile);
        assertEquals(List.of("--conf", confFile.toString(), "a=b", "-c", "/nonexistent.conf"),
                ClusterSubmit.absoluteConfFiles(List.of("--conf", relative.toString(), "a=b", "-c", "/nonexistent.conf")));
        VaeException e = assertThrows(VaeException.class, () -> new ClusterSubmit("spark://x:1", "yarn", "train", conf, List.of()));
        assertTrue(e.getMessage().contains("cluster or client"), e.getMessage());
        assertFalse(new ClusterSubmit("spark://x:1", "cluster", "train", conf, List.of()).submitJvmFlags(launch).contains(ClusterSubmit.NATIVE_MEMORY));
    }
}
