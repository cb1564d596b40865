package org.vaespark.jobs;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.progress.Progress;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.progress.SparkProgress;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.Prepare;
import picocli.CommandLine.Command;

/** Turns raw dataset files into the project's Parquet layout (see the README's schema). */
@Command(name = "prepare", description = "Raw MNIST / binarized MNIST files to Parquet. Needs prepare.source, prepare.input, prepare.output.")
public final class PrepareJob extends JobCommand {
    private static final Logger LOG = LoggerFactory.getLogger(PrepareJob.class);

    public static void main(String[] args) {
        JobCommand.main(new PrepareJob(), args);
    }

    @Override
    protected String appName() {
        return "vae-prepare";
    }

    @Override
    protected void run(SparkSession spark, Settings settings) {
        Manifest m;
        try (SparkProgress progress = SparkProgress.tasks(spark.sparkContext(), LOG,
                "prepare " + Keys.optionalString(settings.config(), "prepare.source"), Progress.interval(settings.config()))) {
            m = Prepare.run(spark, settings);
            progress.finish();
        }
        System.out.println("prepared " + m.source() + " " + m.counts() + " (" + m.height() + "x" + m.width() + "x" + m.channels() + ")");
    }
}
