package org.vaespark.jobs.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.vaespark.core.testing.SharedData;

/**
 * A job in a JVM of its own, launched the way {@code submit/launch.sh} does (the job class and flags of
 * {@code submit/launch.properties}, its OpenMP settings), for tests of what a user sees: console output, exit
 * status, a killed process. Also the small real dataset those tests prepare.
 */
public final class ChildJvm {
    private static final Path ROOT = SharedData.projectRoot();

    /** Exit status and the merged stdout and stderr of a finished child. */
    public record Result(int exit, String output) {
    }

    private ChildJvm() {
    }

    /** {@code submit/launch.properties}. */
    public static Properties launch() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(ROOT.resolve("submit/launch.properties"))) {
            p.load(r);
        }
        return p;
    }

    /** The java command of the job {@code mainKey} (e.g. {@code main.train}) with extra JVM options and job arguments. */
    public static List<String> command(String mainKey, List<String> jvmOptions, List<String> args) throws IOException {
        Properties p = launch();
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(p.getProperty("jvm.flags").trim().split("\\s+")));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=1G", "-cp", System.getProperty("java.class.path"),
                p.getProperty(mainKey)));
        cmd.addAll(args);
        return cmd;
    }

    /** Starts {@code cmd} in {@code workDir} (null = this directory), its output going to {@code log}. */
    public static Process start(List<String> cmd, Path workDir, Path log, Map<String, String> env) throws IOException {
        Properties p = launch();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().put("OMP_NUM_THREADS", p.getProperty("omp.num.threads"));
        pb.environment().put("OMP_WAIT_POLICY", p.getProperty("omp.wait.policy"));
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs {@code cmd} to its end (killed after {@code timeoutSeconds}) and returns its exit status and output. */
    public static Result run(List<String> cmd, Path workDir, Map<String, String> env, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile(workDir, "child", ".log");
        Process child = start(cmd, workDir, log, env);
        if (!child.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
        }
        return new Result(child.exitValue(), Files.readString(log));
    }

    /** The first {@code trainRows} training rows and {@code otherRows} validation and test rows of the real binarized MNIST files. */
    public static Path firstRows(Path raw, int trainRows, int otherRows) throws IOException {
        Files.createDirectories(raw);
        for (String split : List.of("train", "valid", "test")) {
            String name = "binarized_mnist_" + split + ".amat";
            try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                    Files.newInputStream(SharedData.file("binarized_mnist/" + name + ".gz"))), StandardCharsets.US_ASCII))) {
                Files.write(raw.resolve(name), in.lines().limit(split.equals("train") ? trainRows : otherRows).toList());
            }
        }
        return raw;
    }
}
