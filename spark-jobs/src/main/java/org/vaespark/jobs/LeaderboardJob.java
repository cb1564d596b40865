package org.vaespark.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.progress.Progress;
import org.vaespark.jobs.progress.SparkProgress;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.eval.MetricSchema;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.jobs.leaderboard.EvaluationFigures;
import org.vaespark.jobs.leaderboard.LeaderboardDirectory;
import org.vaespark.jobs.leaderboard.LeaderboardDirectory.RunMetrics;
import org.vaespark.jobs.leaderboard.LeaderboardTables;
import org.vaespark.jobs.leaderboard.PublishedResults;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.prep.io.DirectoryCommit;
import picocli.CommandLine.Command;

/**
 * Renders the leaderboard from the results table: {@code leaderboard.md}, one CSV per dataset,
 * a static {@code index.html} and, with {@code leaderboard.runs} set, {@code curves/<run>.png}
 * from each run's metrics.jsonl (any Hadoop path), our reproduced rows beside the published
 * (reported) numbers of docs/math.md (Published reference numbers). The directory is committed as a whole.
 */
@Command(name = "leaderboard", description = "Markdown, CSV and HTML leaderboards (with training curves when leaderboard.runs is set) "
        + "from the results table. Needs results.dir.")
public final class LeaderboardJob extends JobCommand {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderboardJob.class);

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
        double interval = Progress.interval(settings.config());
        List<ResultRow> rows;
        ResultsTable table = new ResultsTable(spark, results);
        try (SparkProgress reading = SparkProgress.tasks(spark.sparkContext(), LOG, "leaderboard: reading the results table", interval)) {
            rows = table.readAll();
            reading.finish();
        }
        LeaderboardTables tables = LeaderboardTables.build(rows, PublishedResults.loadDefault(), LeaderboardTables.DEFAULT_SPLIT,
                table.readMetrics());
        String out = Keys.optionalString(settings.config(), "leaderboard.dir");
        String runs = Keys.optionalString(settings.config(), "leaderboard.runs");
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<MetricSchema.Entry> diagnostics = table.readMetrics().stream()
                .filter(m -> !m.value().metric().startsWith("figure_")).toList();
        EvaluationFigures.Collected pictures = EvaluationFigures.collect(table.figures(), table.readMetrics());
        Map<String, byte[]> files = new java.util.LinkedHashMap<>(pictures.files());
        files.putAll(LeaderboardDirectory.files(tables, rows, runMetrics(conf, runs, rows, interval), pictures.figures(), diagnostics));
        Path dir = new Path(out == null ? results + "/leaderboard" : out);
        try {
            FileSystem fs = dir.getFileSystem(conf);
            DirectoryCommit.write(fs, fs.makeQualified(dir), tmp -> {
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    try (var o = fs.create(new Path(tmp, f.getKey()), false)) {
                        o.write(f.getValue());
                    }
                }
            });
        } catch (IOException e) {
            throw Errors.jobFailed(dir.toString(), "cannot open the leaderboard directory: " + e.getMessage(), "check the path", e);
        }
        return tables;
    }

    /** metrics.jsonl of every run in the results table under {@code runsDir} (null = none: no curves). */
    static List<RunMetrics> runMetrics(Configuration conf, String runsDir, List<ResultRow> rows, double interval) {
        if (runsDir == null) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        rows.stream().map(ResultRow::run).sorted().forEach(names::add);
        List<RunMetrics> out = new ArrayList<>();
        Progress progress = new Progress(LOG, "leaderboard: reading training curves", "runs", names.size(), interval);
        for (String run : names) {
            progress.update(out.size());
            Path file = new Path(new Path(runsDir, run), "metrics.jsonl");
            try {
                FileSystem fs = file.getFileSystem(conf);
                if (!fs.exists(file)) {
                    out.add(RunMetrics.absent(run, "no metrics.jsonl at " + Errors.redact(file.toString())));
                    continue;
                }
                try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
                    out.add(RunMetrics.of(run, Errors.redact(file.toString()), r.lines().toList()));
                }
            } catch (IOException e) {
                throw Errors.jobFailed(file.toString(), "cannot read metrics.jsonl: " + e.getMessage(),
                        "check leaderboard.runs (the directory holding one directory per run)", e);
            }
        }
        progress.finish(out.size());
        return out;
    }
}
