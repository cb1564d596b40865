package org.vaespark.jobs;

import org.apache.spark.sql.SparkSession;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.prep.validate.DatasetValidator;
import picocli.CommandLine.Command;

/** Checks a prepared dataset against its manifest and says exactly what differs (exit status 2 if anything does). */
@Command(name = "validate", description = "Check a prepared dataset (data.path) against its manifest; validate.input also re-hashes the raw files.")
public final class ValidateJob extends JobCommand {

    public static void main(String[] args) {
        JobCommand.main(new ValidateJob(), args);
    }

    @Override
    protected String appName() {
        return "vae-validate";
    }

    @Override
    protected void run(SparkSession spark, Settings settings) {
        String data = Keys.requiredString(settings.config(), "data.path", "the root of a dataset written by PrepareJob");
        DatasetValidator.Report report = DatasetValidator.validate(spark, data, Keys.optionalString(settings.config(), "validate.input"));
        if (!report.ok()) {
            throw Errors.jobFailed(data, "the dataset differs from its manifest in " + report.problems().size() + " way(s): "
                    + String.join(" | ", report.problems()), "re-run the prepare job to rewrite it", null);
        }
        System.out.println("ok: " + Errors.redact(data) + " matches its manifest " + report.rowsPerSplit()
                + ", content sha256 " + report.manifest().contentSha256());
    }
}
