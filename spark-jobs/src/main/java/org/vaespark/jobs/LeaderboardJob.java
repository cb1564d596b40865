package org.vaespark.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.jobs.leaderboard.LeaderboardTables;
import org.vaespark.jobs.leaderboard.PublishedResults;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.jobs.train.RunDirectory;
import picocli.CommandLine.Command;

/**
 * Renders the leaderboard from the results table: {@code leaderboard.md} and one CSV per
 * dataset, our reproduced rows beside the published (reported) numbers of SCIENCE.md.
 */
@Command(name = "leaderboard", description = "Markdown and CSV leaderboards from the results table. Needs results.dir.")
public final class LeaderboardJob extends JobCommand {

    public static void main(String[] args) {
        JobCommand.main(new LeaderboardJob(), args);
    }

    @Override
    protected String appName() {
        return "vae-leaderboard";
    }

    @Override
    protected void run(SparkSession spark, Settings settings) {
        LeaderboardTables tables = render(spark, settings);
        System.out.println(tables.toMarkdown());
    }

    /** Builds the tables and writes them (atomically, as one directory); returns them. */
    public static LeaderboardTables render(SparkSession spark, Settings settings) {
        String results = Keys.optionalString(settings.config(), "results.dir");
        List<ResultRow> rows = new ResultsTable(spark, results).readAll();
        LeaderboardTables tables = LeaderboardTables.build(rows, PublishedResults.loadDefault());
        String out = Keys.optionalString(settings.config(), "leaderboard.dir");
        Path dir = RunDirectory.local(out == null ? results + "/leaderboard" : out);
        Path tmp = dir.resolveSibling("." + dir.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            Files.writeString(tmp.resolve("leaderboard.md"), tables.toMarkdown(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> csv : tables.toCsv().entrySet()) {
                Files.writeString(tmp.resolve(csv.getKey()), csv.getValue(), StandardCharsets.UTF_8);
            }
            Path old = dir.resolveSibling("." + dir.getFileName() + ".old-" + UUID.randomUUID());
            boolean replaced = Files.exists(dir);
            if (replaced) {
                Files.move(dir, old);
            }
            Files.move(tmp, dir);
            if (replaced) {
                try (var walk = Files.walk(old)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            throw Errors.jobFailed(dir.toString(), "cannot write the leaderboard: " + e.getMessage(), "check permissions", e);
        }
        return tables;
    }
}
