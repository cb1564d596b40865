package org.vaespark.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.vaespark.core.errors.Errors;

/**
 * A Spark standalone cluster on the loopback interface made of separate JVMs started from Maven's Spark jars
 * ({@link SparkJars}), with no Spark download: one {@code org.apache.spark.deploy.master.Master}
 * on 127.0.0.1 and {@code workers} {@code org.apache.spark.deploy.worker.Worker}s on 127.0.0.1, 127.0.0.2, ...
 * ({@link #workerHost}), each on free ports. Its state
 * directory holds {@code cluster.properties} (master URL, ports, pids), the daemons' logs under
 * {@code logs/}, the workers' work directories (driver and executor logs) under {@code work/}, and
 * a SPARK_HOME whose {@code jars/} is empty: the workers give executors and drivers the Maven jars
 * through SPARK_DIST_CLASSPATH, as Hadoop-free Spark builds do. {@link #close()} stops the daemons
 * and every process they started.
 */
public final class StandaloneCluster implements AutoCloseable {
    static final String MASTER_CLASS = "org.apache.spark.deploy.master.Master";
    static final String WORKER_CLASS = "org.apache.spark.deploy.worker.Worker";
    static final String EXECUTOR_CLASS = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
    static final String DRIVER_CLASS = "org.apache.spark.deploy.worker.DriverWrapper";
    private static final String STATE_FILE = "cluster.properties";
    private static final String DAEMON_HEAP = "-Xmx256m";

    /**
     * What to start.
     *
     * @param stateDir       the cluster's directory (created)
     * @param workers        worker JVMs
     * @param coresPerWorker cores each worker offers (a cluster-mode driver takes one of them)
     * @param workerMemory   memory each worker offers to executors and drivers, e.g. "2g"
     * @param sparkJars      the Spark installation's jars
     * @param jvmFlags       flags of every JVM (launch.properties jvm.flags)
     * @param env            extra environment of the daemons, inherited by drivers and executors (OpenMP)
     */
    public record Spec(Path stateDir, int workers, int coresPerWorker, String workerMemory, List<Path> sparkJars,
                       List<String> jvmFlags, Map<String, String> env) {
        /** The defaults for this project: flags, OpenMP and Spark jars from launch.properties and the Maven classpath. */
        public static Spec of(Path stateDir, LaunchSettings launch, int workers, int coresPerWorker, String workerMemory) {
            return new Spec(stateDir, workers, coresPerWorker, workerMemory,
                    SparkJars.fromClasspathFile(launch.classpathFile(), launch.root()), launch.jvmFlags(),
                    Map.of("OMP_NUM_THREADS", launch.ompThreads(), "OMP_WAIT_POLICY", launch.ompWaitPolicy()));
        }
    }

    private final Path stateDir;
    private final int masterPort;
    private final int webUiPort;
    private final Optional<ProcessHandle> master;
    private final List<ProcessHandle> workers;
    private final String classpath;
    private final Map<String, String> env;

    private StandaloneCluster(Path stateDir, int masterPort, int webUiPort, Optional<ProcessHandle> master, List<ProcessHandle> workers,
                              String classpath, Map<String, String> env) {
        this.stateDir = stateDir;
        this.masterPort = masterPort;
        this.webUiPort = webUiPort;
        this.master = master;
        this.workers = workers;
        this.classpath = classpath;
        this.env = env;
    }

    /** Starts the master and the workers and waits until the master reports every worker ALIVE. */
    public static StandaloneCluster start(Spec spec, Duration timeout) {
        Path dir = spec.stateDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir.resolve("logs"));
            Files.createDirectories(dir.resolve("work"));
            Files.createDirectories(dir.resolve("spark-home/jars"));
            Files.createDirectories(dir.resolve("spark-home/conf"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String cp = SparkJars.classpath(spec.sparkJars());
        Map<String, String> env = daemonEnv(dir, cp, spec.env());
        int port = freePort();
        int webUi = freePort();
        String url = "spark://127.0.0.1:" + port;
        List<String> heap = new ArrayList<>(spec.jvmFlags());
        heap.add(DAEMON_HEAP);
        ProcessHandle master = launch(dir, "master", cp, env, heap, MASTER_CLASS,
                List.of("--host", "127.0.0.1", "--port", "" + port, "--webui-port", "" + webUi));
        List<ProcessHandle> workers = new ArrayList<>();
        for (int i = 0; i < spec.workers(); i++) {
            Map<String, String> workerEnv = new LinkedHashMap<>(env);
            workerEnv.put("SPARK_LOCAL_IP", workerHost(i));
            workers.add(launch(dir, "worker-" + i, cp, workerEnv, heap, WORKER_CLASS, List.of("--host", workerHost(i),
                    "--webui-port", "" + freePort(), "--cores", "" + spec.coresPerWorker(), "--memory", spec.workerMemory(),
                    "--work-dir", dir.resolve("work").toString(), url)));
        }
        StandaloneCluster cluster = new StandaloneCluster(dir, port, webUi, Optional.of(master), workers, cp, env);
        cluster.writeState();
        try {
            cluster.awaitWorkers(spec.workers(), timeout);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The cluster a previous {@link #start} left in {@code stateDir} (for stop and status from another JVM). */
    public static StandaloneCluster attach(Path stateDir) {
        Path dir = stateDir.toAbsolutePath().normalize();
        Path file = dir.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            throw Errors.jobFailed(dir.toString(), "no standalone cluster was started here (no " + STATE_FILE + ")",
                    "start one with submit/standalone-cluster.sh start", null);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<ProcessHandle> master = handle(Long.parseLong(p.getProperty("master.pid")), MASTER_CLASS);
        List<ProcessHandle> workers = new ArrayList<>();
        for (int i = 0; p.containsKey("worker." + i + ".pid"); i++) {
            handle(Long.parseLong(p.getProperty("worker." + i + ".pid")), WORKER_CLASS).ifPresent(workers::add);
        }
        String cp = p.getProperty("classpath");
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("env.")) {
                env.put(k.substring(4), p.getProperty(k));
            }
        }
        return new StandaloneCluster(dir, Integer.parseInt(p.getProperty("master.port")), Integer.parseInt(p.getProperty("webui.port")),
                master, workers, cp, env);
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    public URI webUi() {
        return URI.create("http://127.0.0.1:" + webUiPort);
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The workers' work directory: app-*&#47;N/stderr of every executor, driver-*&#47;stderr of cluster-mode drivers. */
    public Path workDir() {
        return stateDir.resolve("work");
    }

    /** The Spark installation's classpath the daemons run from. */
    public String classpath() {
        return classpath;
    }

    /** The environment of the daemons (and of what they start). */
    public Map<String, String> env() {
        return env;
    }

    /** Whether the master JVM is running. */
    public boolean isRunning() {
        return master.map(ProcessHandle::isAlive).orElse(false);
    }

    /** Worker JVMs running now. */
    public int runningWorkers() {
        return (int) workers.stream().filter(ProcessHandle::isAlive).count();
    }

    /** The master's state as its web UI serves it at /json (workers, active and completed apps and drivers). */
    public JsonNode state() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(webUi().resolve("/json/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("master web UI " + webUi() + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Workers the master reports ALIVE. */
    public int aliveWorkers() {
        int n = 0;
        for (JsonNode w : state().path("workers")) {
            n += "ALIVE".equals(w.path("state").asText()) ? 1 : 0;
        }
        return n;
    }

    /** State (SUBMITTED, RUNNING, FINISHED, FAILED, ERROR, KILLED, ...) of every driver the master knows, by driver id. */
    public Map<String, String> drivers() {
        Map<String, String> states = new LinkedHashMap<>();
        JsonNode s = state();
        for (String list : List.of("completeddrivers", "activedrivers")) {
            for (JsonNode d : s.path(list)) {
                states.put(d.path("id").asText(), d.path("state").asText());
            }
        }
        return states;
    }

    /** Executor JVMs ({@code CoarseGrainedExecutorBackend}) the workers are running now. */
    public List<ProcessHandle> executors() {
        return descendants(EXECUTOR_CLASS);
    }

    /** The executor JVM of application {@code appId} with Spark executor id {@code executorId}, if it runs. */
    /** The application id and executor id an executor JVM ({@link #executors()}) runs for, read from its command line. */
    public Optional<List<String>> executorIdentity(ProcessHandle p) {
        List<String> a = arguments(p);
        int app = a.indexOf("--app-id");
        int id = a.indexOf("--executor-id");
        return app >= 0 && id >= 0 && app + 1 < a.size() && id + 1 < a.size() ? Optional.of(List.of(a.get(app + 1), a.get(id + 1)))
                : Optional.empty();
    }

    public Optional<ProcessHandle> executor(String appId, String executorId) {
        return executors().stream().filter(p -> {
            List<String> a = arguments(p);
            int app = a.indexOf("--app-id");
            int id = a.indexOf("--executor-id");
            return app >= 0 && id >= 0 && app + 1 < a.size() && id + 1 < a.size()
                    && a.get(app + 1).equals(appId) && a.get(id + 1).equals(executorId);
        }).findFirst();
    }

    /** Cluster-mode driver JVMs ({@code DriverWrapper}) the workers are running now. */
    public List<ProcessHandle> driverProcesses() {
        return descendants(DRIVER_CLASS);
    }

    private List<ProcessHandle> descendants(String mainClass) {
        return workers.stream().flatMap(ProcessHandle::descendants)
                .filter(p -> runs(p, mainClass)).toList();
    }

    /** A JVM on the Spark installation's classpath with the cluster's environment, e.g. SparkSubmit. */
    public ProcessBuilder javaProcess(List<String> jvm, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        return pb;
    }

    /** Stops the workers (with their executors and drivers) and the master; kills what does not stop within 15 s. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle w : workers) {
            w.descendants().forEach(all::add);
            all.add(w);
        }
        master.ifPresent(m -> {
            m.descendants().forEach(all::add);
            all.add(m);
        });
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (ProcessHandle p : all) {
            long left = deadline - System.nanoTime();
            try {
                p.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(stateDir.resolve(STATE_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitWorkers(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            checkAlive();
            try {
                if (aliveWorkers() >= expected) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(250);
        }
        throw Errors.jobFailed(masterUrl(), "the master did not report " + expected + " ALIVE workers within " + timeout.toSeconds()
                + " s" + (last == null ? "" : " (" + last.getMessage() + ")"), "see the logs in " + stateDir.resolve("logs"), last);
    }

    private void checkAlive() {
        if (!isRunning()) {
            throw died("master");
        }
        for (int i = 0; i < workers.size(); i++) {
            if (!workers.get(i).isAlive()) {
                throw died("worker-" + i);
            }
        }
    }

    private RuntimeException died(String name) {
        Path log = stateDir.resolve("logs/" + name + ".log");
        return Errors.jobFailed(log.toString(), "the " + name + " JVM exited:\n" + tail(log, 30), "read the log above", null);
    }

    private void writeState() {
        Properties p = new Properties();
        p.setProperty("master.url", masterUrl());
        p.setProperty("master.port", "" + masterPort);
        p.setProperty("webui.port", "" + webUiPort);
        p.setProperty("master.pid", "" + master.orElseThrow().pid());
        for (int i = 0; i < workers.size(); i++) {
            p.setProperty("worker." + i + ".pid", "" + workers.get(i).pid());
        }
        p.setProperty("classpath", classpath);
        env.forEach((k, v) -> p.setProperty("env." + k, v));
        try (Writer w = Files.newBufferedWriter(stateDir.resolve(STATE_FILE))) {
            p.store(w, "standalone cluster on 127.0.0.1 (StandaloneCluster)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Worker {@code i}'s address, 127.0.0.(i+1): all loopback on Linux, yet separate hosts to Spark,
     * whose scheduler launches a speculative copy of a task only on a host without an attempt of it.
     */
    public static String workerHost(int i) {
        return "127.0.0." + (i + 1);
    }

    private static Map<String, String> daemonEnv(Path dir, String classpath, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(extra);
        env.put("SPARK_HOME", dir.resolve("spark-home").toString());
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("SPARK_DIST_CLASSPATH", classpath);
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        return env;
    }

    private static ProcessHandle launch(Path dir, String name, String cp, Map<String, String> env, List<String> jvm,
                                        String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs/" + name + ".log").toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
        pb.environment().putAll(env);
        try {
            return pb.start().toHandle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " JVM", e);
        }
    }

    /** The process {@code pid} if it is still the daemon it was (a pid can be reused once the process exits). */
    private static Optional<ProcessHandle> handle(long pid, String mainClass) {
        return ProcessHandle.of(pid).filter(p -> runs(p, mainClass));
    }

    /**
     * Whether {@code p}'s command line names {@code mainClass}. Read from /proc on Linux:
     * {@code ProcessHandle.Info.commandLine()} is empty for command lines as long as a Spark classpath.
     */
    static boolean runs(ProcessHandle p, String mainClass) {
        return arguments(p).contains(mainClass);
    }

    /** {@code p}'s command line as a list (empty once it has exited). */
    static List<String> arguments(ProcessHandle p) {
        Path cmdline = Paths.get("/proc", "" + p.pid(), "cmdline");
        try {
            if (Files.exists(cmdline)) {
                return List.of(new String(Files.readAllBytes(cmdline), java.nio.charset.StandardCharsets.UTF_8).split("\0"));
            }
        } catch (IOException e) {
            return List.of();
        }
        return p.info().commandLine().map(c -> List.of(c.split(" "))).orElse(List.of());
    }

    static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static java.io.File nullFile() {
        return new java.io.File("/dev/null");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of a log file (empty when it does not exist). */
    public static String tail(Path log, int lines) {
        try {
            List<String> all = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
