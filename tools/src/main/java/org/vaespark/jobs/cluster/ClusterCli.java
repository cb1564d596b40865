package org.vaespark.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vaespark.core.errors.VaeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code submit/standalone-cluster.sh}: start, stop and inspect a {@link StandaloneCluster} on
 * 127.0.0.1 whose state lives in {@code --state DIR}, and submit jobs to it. Run from the project
 * root (launch.properties is read from {@code submit/}).
 */
@Command(name = "standalone-cluster", mixinStandardHelpOptions = true,
        subcommands = {ClusterCli.Start.class, ClusterCli.Stop.class, ClusterCli.Status.class, ClusterCli.Submit.class},
        description = "A Spark standalone master and workers on 127.0.0.1, started from Maven's Spark jars.")
public final class ClusterCli {
    private static final Path ROOT = Paths.get("").toAbsolutePath();

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new ClusterCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof VaeException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }

    abstract static class WithState implements Callable<Integer> {
        @Option(names = "--state", defaultValue = "work/standalone-cluster", description = "State directory (default ${DEFAULT-VALUE}).")
        Path state;
    }

    @Command(name = "start", description = "Start the master and the workers; wait until they are ALIVE; leave them running.")
    static final class Start extends WithState {
        @Option(names = "--workers", defaultValue = "2")
        int workers;
        @Option(names = "--cores", defaultValue = "2", description = "Cores per worker; a cluster-mode driver takes one (default ${DEFAULT-VALUE}).")
        int cores;
        @Option(names = "--memory", defaultValue = "2g", description = "Memory per worker for drivers and executors (default ${DEFAULT-VALUE}).")
        String memory;

        @Override
        public Integer call() {
            LaunchSettings launch = LaunchSettings.read(ROOT);
            StandaloneCluster c = StandaloneCluster.start(StandaloneCluster.Spec.of(state, launch, workers, cores, memory), Duration.ofSeconds(120));
            System.out.println("master " + c.masterUrl() + "  web UI " + c.webUi() + "  workers ALIVE: " + c.aliveWorkers());
            printSubmitLines(c, launch, workers);
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop the workers (with their executors and drivers) and the master.")
    static final class Stop extends WithState {
        @Override
        public Integer call() {
            StandaloneCluster.attach(state).close();
            System.out.println("stopped the cluster of " + state);
            return 0;
        }
    }

    @Command(name = "status", description = "Master URL, ALIVE workers, applications and drivers; exit status 1 when the master is down.")
    static final class Status extends WithState {
        @Override
        public Integer call() {
            StandaloneCluster c = StandaloneCluster.attach(state);
            if (!c.isRunning()) {
                System.out.println("not running (state in " + c.stateDir() + ")");
                return 1;
            }
            JsonNode s = c.state();
            System.out.println("master " + c.masterUrl() + "  web UI " + c.webUi() + "  workers ALIVE: " + c.aliveWorkers()
                    + " (JVMs running: " + c.runningWorkers() + ")");
            for (String list : List.of("activeapps", "completedapps")) {
                for (JsonNode a : s.path(list)) {
                    System.out.println("app    " + a.path("id").asText() + "  " + a.path("name").asText() + "  " + a.path("state").asText());
                }
            }
            c.drivers().forEach((id, st) -> System.out.println("driver " + id + "  " + st));
            printSubmitLines(c, LaunchSettings.read(ROOT), s.path("workers").size());
            return 0;
        }
    }

    @Command(name = "submit", description = "Submit a job of train-vae.jar (train, evaluate, ...) and wait for it; "
            + "in cluster mode paths in key=value arguments must be absolute (the driver runs in a worker's directory).")
    static final class Submit extends WithState {
        @Option(names = "--deploy-mode", defaultValue = "cluster", description = "cluster (driver on a worker) or client (default ${DEFAULT-VALUE}).")
        String deployMode;
        @Option(names = "--spark", paramLabel = "KEY=VALUE", description = "Spark setting over the defaults; repeatable.")
        Map<String, String> spark = new LinkedHashMap<>();
        @Option(names = "--executors", defaultValue = "2", description = "One-core executors (spark.cores.max; default ${DEFAULT-VALUE}).")
        int executors;
        @Parameters(index = "0", paramLabel = "JOB")
        String job;
        @Parameters(index = "1..*", paramLabel = "ARG")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            LaunchSettings launch = LaunchSettings.read(ROOT);
            StandaloneCluster c = StandaloneCluster.attach(state);
            Map<String, String> conf = ClusterSubmit.defaults(launch, executors);
            conf.putAll(spark);
            ClusterSubmit s = new ClusterSubmit(c.masterUrl(), deployMode, job, conf, args);
            int status = s.process(c, launch).inheritIO().start().waitFor();
            if (deployMode.equals("cluster")) {
                System.out.println("drivers: " + c.drivers());
            }
            return status;
        }
    }

    private static void printSubmitLines(StandaloneCluster c, LaunchSettings launch, int executors) {
        ClusterSubmit s = new ClusterSubmit(c.masterUrl(), "cluster", "train", ClusterSubmit.defaults(launch, executors),
                List.of("--conf", "/abs/path/experiment.conf", "data.path=/abs/path/dataset", "run.dir=/abs/path/run"));
        System.out.println("submit with:\n  submit/standalone-cluster.sh submit train --conf /abs/path/experiment.conf "
                + "data.path=/abs/path/dataset run.dir=/abs/path/run");
        System.out.println("or, with a Spark installation's spark-submit:\n  spark-submit " + String.join(" ",
                s.sparkSubmitArgs(launch).stream().map(ClusterCli::quote).toList()));
    }

    private static String quote(String a) {
        return a.matches("[A-Za-z0-9_./:=,@%+-]+") ? a : "'" + a.replace("'", "'\\''") + "'";
    }
}
