package org.vaespark.jobs;

import org.apache.spark.sql.SparkSession;
import org.vaespark.core.config.Settings;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.Prepare;
import picocli.CommandLine.Command;

/** Turns raw dataset files into the project's Parquet layout (see the README's schema). */
@Command(name = "prepare", description = "Raw MNIST / binarized MNIST files to Parquet. Needs prepare.source, prepare.input, prepare.output.")
public final class PrepareJob extends JobCommand {

    public static void main(String[] args) {
        JobCommand.main(new PrepareJob(), args);
    }

    @Override
    protected String appName() {
        return "vae-prepare";
    }

    @Override
    protected void run(SparkSession spark, Settings settings) {
        Manifest m = Prepare.run(spark, settings);
        System.out.println("prepared " + m.source() + " " + m.counts() + " (" + m.height() + "x" + m.width() + "x" + m.channels() + ")");
    }
}
