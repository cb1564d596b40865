package org.vaespark.jobs.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaespark.core.errors.Errors;

/**
 * A job of train-vae.jar submitted to a standalone master by {@code org.apache.spark.deploy.SparkSubmit}
 * run from Maven's Spark jars. In {@code cluster} deploy mode the master starts the driver on a
 * worker (as {@code DriverWrapper}) and SparkSubmit waits for it to finish; in {@code client} mode
 * the SparkSubmit JVM is the driver. Executors load ND4J and its native libraries from the jar.
 *
 * @param masterUrl  spark://host:port
 * @param deployMode cluster or client
 * @param job        a job name of launch.properties (train, prepare, ...)
 * @param sparkConf  Spark settings over {@link #defaults}
 * @param jobArgs    the job's own arguments ({@code --conf FILE}, key=value)
 */
public record ClusterSubmit(String masterUrl, String deployMode, String job, Map<String, String> sparkConf, List<String> jobArgs) {
    /** Off-heap ND4J memory of a driver or executor JVM (its heap is spark.driver.memory / spark.executor.memory). */
    public static final String NATIVE_MEMORY = "-Dorg.bytedeco.javacpp.maxbytes=1G";

    public ClusterSubmit {
        if (!deployMode.equals("cluster") && !deployMode.equals("client")) {
            throw Errors.badArgument("--deploy-mode", "'" + deployMode + "' is not a deploy mode", "use cluster or client");
        }
    }

    /**
     * The settings every submission starts from: the launch.properties JVM flags on driver and
     * executors, OpenMP as launch.properties sets it, 1 GB heap + 1 GB ND4J memory per JVM,
     * one-core executors, {@code executors} of them, and SparkSubmit waiting for a cluster-mode
     * driver to finish.
     */
    public static Map<String, String> defaults(LaunchSettings launch, int executors) {
        String flags = String.join(" ", launch.jvmFlags()) + " " + NATIVE_MEMORY;
        Map<String, String> c = new LinkedHashMap<>();
        c.put("spark.driver.extraJavaOptions", flags);
        c.put("spark.executor.extraJavaOptions", flags);
        c.put("spark.executorEnv.OMP_NUM_THREADS", launch.ompThreads());
        c.put("spark.executorEnv.OMP_WAIT_POLICY", launch.ompWaitPolicy());
        c.put("spark.driver.memory", "1g");
        c.put("spark.executor.memory", "1g");
        c.put("spark.executor.cores", "1");
        c.put("spark.cores.max", "" + executors);
        c.put("spark.standalone.submit.waitAppCompletion", "true");
        c.put("spark.ui.showConsoleProgress", "false");
        return c;
    }

    /** The SparkSubmit JVM's own flags: in client mode it is the driver and gets the driver's heap. */
    public List<String> submitJvmFlags(LaunchSettings launch) {
        List<String> jvm = new ArrayList<>(launch.jvmFlags());
        if (deployMode.equals("client")) {
            jvm.add("-Xmx" + sparkConf.getOrDefault("spark.driver.memory", "1g"));
            jvm.add(NATIVE_MEMORY);
        } else {
            jvm.add("-Xmx256m");
        }
        return jvm;
    }

    /** SparkSubmit's arguments: master, deploy mode, class, settings, train-vae.jar (absolute), the job's arguments. */
    public List<String> sparkSubmitArgs(LaunchSettings launch) {
        List<String> a = new ArrayList<>(List.of("--master", masterUrl, "--deploy-mode", deployMode,
                "--class", launch.mainClass(job), "--name", "vae-" + job));
        sparkConf.forEach((k, v) -> {
            a.add("--conf");
            a.add(k + "=" + v);
        });
        a.add(launch.jar().toAbsolutePath().toString());
        a.addAll(deployMode.equals("cluster") ? absoluteConfFiles(jobArgs) : jobArgs);
        return a;
    }

    /** A cluster-mode driver runs in the worker's directory: {@code --conf FILE} arguments that exist here become absolute. */
    static List<String> absoluteConfFiles(List<String> args) {
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i + 1 < out.size(); i++) {
            Path f = Paths.get(out.get(i + 1));
            if ((out.get(i).equals("--conf") || out.get(i).equals("-c")) && !f.isAbsolute() && Files.isRegularFile(f)) {
                out.set(i + 1, f.toAbsolutePath().normalize().toString());
            }
        }
        return out;
    }

    /** The submission as a SparkSubmit JVM on the cluster's Spark jars and environment (OpenMP for a client-mode driver). */
    public ProcessBuilder process(StandaloneCluster cluster, LaunchSettings launch) {
        return cluster.javaProcess(submitJvmFlags(launch), "org.apache.spark.deploy.SparkSubmit", sparkSubmitArgs(launch));
    }
}
