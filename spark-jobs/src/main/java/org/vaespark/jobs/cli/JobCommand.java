package org.vaespark.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Secrets;
import org.vaespark.core.errors.VaeException;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line every job shares: {@code --conf FILE} (repeatable, later files win) and
 * {@code key=value} overrides, checked against every module's reference.conf. A job's main
 * only parses, loads settings, opens the session and calls its {@code run(spark, settings)}.
 */
public abstract class JobCommand implements Callable<Integer> {
    @Option(names = {"-c", "--conf"}, paramLabel = "FILE", description = "HOCON configuration file; repeatable, later files win.")
    List<String> confFiles = new ArrayList<>();

    @Parameters(paramLabel = "KEY=VALUE", description = "Configuration overrides, e.g. train.epochs=5 data.path=/data/mnist; "
            + "spark.* settings (spark.hadoop.fs.s3a.endpoint=...) go to the Spark session.")
    List<String> overrides = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** The job's body. */
    protected abstract void run(SparkSession spark, Settings settings) throws Exception;

    /** Overrides a job adds from its own options (applied after the command line's). */
    protected List<String> extraOverrides() {
        return List.of();
    }

    /** The Spark application name. */
    protected abstract String appName();

    @Override
    public Integer call() throws Exception {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(extraOverrides());
        Settings settings = Settings.load(confFiles, all);
        SparkSession spark = SparkSessions.open(appName(), settings);
        try {
            run(spark, settings);
        } finally {
            spark.stop();
        }
        return 0;
    }

    /** Runs a job from {@code main} and exits with its status. */
    public static void main(JobCommand job, String[] args) {
        System.exit(execute(job, args));
    }

    /** Parses and runs; user errors print one clear message and give status 2. */
    public static int execute(JobCommand job, String[] args) {
        CommandLine cli = new CommandLine(job);
        // picocli's own messages quote the offending argument: mask a secret value in them.
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("error: " + Secrets.maskText(e.getMessage()));
            cmd.usage(cmd.getErr());
            return 2;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable t = e;
            while (t != null && !(t instanceof VaeException)) {
                t = t.getCause();
            }
            if (t != null) {
                cmd.getErr().println("error: " + t.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
