package org.vaespark.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.jobs.leaderboard.LeaderboardTables;
import org.vaespark.jobs.leaderboard.PublishedResults;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.prep.io.DirectoryCommit;
import picocli.CommandLine.Command;

/**
 * Renders the leaderboard from the results table: {@code leaderboard.md} and one CSV per
 * dataset (any Hadoop path), our reproduced rows beside the published (reported) numbers of SCIENCE.md.
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
        Path dir = new Path(out == null ? results + "/leaderboard" : out);
        try {
            FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            DirectoryCommit.write(fs, fs.makeQualified(dir), tmp -> {
                write(fs, new Path(tmp, "leaderboard.md"), tables.toMarkdown());
                for (Map.Entry<String, String> csv : tables.toCsv().entrySet()) {
                    write(fs, new Path(tmp, csv.getKey()), csv.getValue());
                }
            });
        } catch (IOException e) {
            throw Errors.jobFailed(dir.toString(), "cannot open the leaderboard directory: " + e.getMessage(), "check the path", e);
        }
        return tables;
    }

    private static void write(FileSystem fs, Path file, String text) throws IOException {
        try (var out = fs.create(file, false)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
