package org.vaespark.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.checkpoint.CheckpointMetadata;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.reproduce.EarlierRuns;
import org.vaespark.jobs.reproduce.LearningCurve;
import org.vaespark.jobs.reproduce.PageFiles;
import org.vaespark.jobs.reproduce.PublishedRow;
import org.vaespark.jobs.reproduce.ReproducedRun;
import org.vaespark.jobs.reproduce.ResultsPage;
import org.vaespark.jobs.reproduce.ScalingRuns;
import picocli.CommandLine.Command;

/**
 * Generates the "reproduced vs reported" results page ({@code docs/results.md} and {@code .csv}) from the runs of
 * {@code submit/reproduce.sh} under {@code results-page.repro-dir}, and the README's excerpt of it.
 */
@Command(name = "results-page", description = "The reproduced-vs-reported table from submit/reproduce.sh's runs "
        + "(results-page.repro-dir) into docs/results.md, docs/results.csv and the README's results section.")
public final class ResultsPageJob extends JobCommand {

    public static void main(String[] args) {
        JobCommand.main(new ResultsPageJob(), args);
    }

    @Override
    protected String appName() {
        return "vae-results-page";
    }

    @Override
    protected void run(SparkSession spark, Settings settings) {
        write(spark, settings);
    }

    /** Builds the page and writes its files (each atomically); returns it. */
    public static ResultsPage write(SparkSession spark, Settings settings) {
        ResultsPage page = build(spark, settings);
        Path out = Path.of(Keys.requiredString(settings.config(), "results-page.output", "the Markdown page to write"));
        Path repro = Path.of(Keys.requiredString(settings.config(), "results-page.repro-dir", "REPRO_DIR"));
        Path curves = out.toAbsolutePath().getParent().resolve(ResultsPage.CURVES);
        for (ResultsPage.Entry e : page.entries()) {
            if (e.run().isPresent()) {
                PageFiles.write(curves.resolve(e.row().id() + ".png"),
                        LearningCurve.read(repro.resolve(e.row().id()).resolve("run")).png(e.row().id() + ": " + e.row().title()));
            }
        }
        PageFiles.write(out, page.markdown("submit/reproduce.sh --report"));
        PageFiles.write(Path.of(out.toString().replaceFirst("\\.md$", "") + ".csv"), page.csv());
        String readme = Keys.optionalString(settings.config(), "results-page.readme");
        if (readme != null) {
            Path file = Path.of(readme);
            try {
                PageFiles.write(file, PageFiles.withExcerpt(file, Files.readString(file), page.excerpt()));
            } catch (IOException e) {
                throw Errors.missingInput(readme, "the README whose results section is regenerated (results-page.readme)");
            }
        }
        System.out.println(page.excerpt());
        System.out.println("wrote " + out + " and its .csv" + (readme == null ? "" : ", and the results section of " + readme));
        return page;
    }

    /** How far an unevaluated row's training got, from its newest checkpoint; null when it has none. */
    static String pending(Path rowDir) {
        Path checkpoints = rowDir.resolve("run").resolve("checkpoints");
        var newest = Files.isDirectory(checkpoints) ? CheckpointIO.latest(checkpoints) : java.util.Optional.<Path>empty();
        if (newest.isEmpty()) {
            return null;
        }
        CheckpointMetadata m = CheckpointIO.readMetadata(newest.get());
        String epochs = m.resume() == null || m.resume().trainExamples() <= 0 ? m.examplesSeen() + " examples"
                : String.format(java.util.Locale.ROOT, "%.0f epochs", (double) m.examplesSeen() / m.resume().trainExamples());
        return "training or evaluation under way: trained " + epochs + ", no test result yet";
    }

    /** Every row of {@code results-page.rows-dir} beside its run under {@code results-page.repro-dir}. */
    public static ResultsPage build(SparkSession spark, Settings settings) {
        Path rows = Path.of(Keys.requiredString(settings.config(), "results-page.rows-dir", "the directory of reproduction rows"));
        Path repro = Path.of(Keys.requiredString(settings.config(), "results-page.repro-dir",
                "the directory submit/reproduce.sh runs into (REPRO_DIR)"));
        if (!Files.isDirectory(rows)) {
            throw Errors.missingInput(rows.toString(), "a directory of <row>.conf files (results-page.rows-dir)");
        }
        List<ResultsPage.Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(rows)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".conf")).sorted().toList()) {
                PublishedRow row = PublishedRow.read(f);
                var run = ReproducedRun.read(spark, repro.resolve(row.id()));
                entries.add(new ResultsPage.Entry(row, run, run.isPresent() ? null : pending(repro.resolve(row.id()))));
            }
        } catch (IOException e) {
            throw Errors.missingInput(rows.toString(), "a readable directory of <row>.conf files (results-page.rows-dir)");
        }
        return new ResultsPage(entries, ScalingRuns.read(spark, repro), EarlierRuns.read(spark, repro));
    }
}
