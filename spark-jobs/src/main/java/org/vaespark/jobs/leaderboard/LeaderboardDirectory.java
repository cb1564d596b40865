package org.vaespark.jobs.leaderboard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every file of the leaderboard directory, by path relative to it, from one
 * {@link LeaderboardTables}: leaderboard.md, one CSV per benchmark, {@code curves/<run>.png}
 * ({@link TrainingCurves}) and index.html ({@link LeaderboardPage}) linking the curves and any
 * other figures the caller supplies. Pure: reading runs and writing files is the job's part.
 */
public final class LeaderboardDirectory {
    /** The page's file name. */
    public static final String INDEX = "index.html";

    private LeaderboardDirectory() {
    }

    /**
     * The metrics.jsonl of one run, or why there is none.
     *
     * @param source where it was read (for messages), e.g. the path
     * @param lines  its lines, or null when {@code absent} says why there are none
     */
    public record RunMetrics(String run, String source, List<String> lines, String absent) {
        public static RunMetrics of(String run, String source, List<String> lines) {
            return new RunMetrics(run, source, List.copyOf(lines), null);
        }

        public static RunMetrics absent(String run, String reason) {
            return new RunMetrics(run, null, null, reason);
        }
    }

    /**
     * The files, in write order (index.html last).
     *
     * @param results all rows of the results table (every split: each run's evaluations become points on its curves)
     * @param runs    the runs to draw curves for; empty = no curves
     * @param figures other pictures to link (their PNGs are the caller's to write), after each run's curves
     */
    public static Map<String, byte[]> files(LeaderboardTables tables, List<ResultRow> results, List<RunMetrics> runs,
                                            List<Figure> figures) {
        return files(tables, results, runs, figures, List.of());
    }

    /** As above, with the evaluations' diagnostics in leaderboard.md and index.html. */
    public static Map<String, byte[]> files(LeaderboardTables tables, List<ResultRow> results, List<RunMetrics> runs,
                                            List<Figure> figures, List<org.vaespark.jobs.eval.MetricSchema.Entry> diagnostics) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("leaderboard.md", utf8(tables.toMarkdown() + Diagnostics.markdown(diagnostics)));
        for (Map.Entry<String, String> csv : tables.toCsv().entrySet()) {
            files.put(csv.getKey(), utf8(csv.getValue()));
        }
        List<Figure> all = new ArrayList<>();
        Set<String> stems = new HashSet<>();
        for (RunMetrics m : runs) {
            String caption = "Training curves of run " + m.run();
            if (m.lines() == null) {
                all.add(Figure.absent(m.run(), caption, m.absent()));
                continue;
            }
            List<ResultRow> ofRun = results.stream().filter(r -> r.run().equals(m.run())).toList();
            TrainingCurves.Curves series;
            try {
                series = TrainingCurves.series(m.source(), m.lines(), ofRun);
            } catch (IllegalArgumentException e) {
                all.add(Figure.absent(m.run(), caption, e.getMessage()));
                continue;
            }
            if (series.isEmpty()) {
                all.add(Figure.absent(m.run(), caption, "metrics.jsonl holds no training ELBO and the run has no evaluations"));
                continue;
            }
            String stem = Figure.fileStem(m.run());
            for (int i = 2; !stems.add(stem); i++) {
                stem = Figure.fileStem(m.run()) + "-" + i;
            }
            String path = "curves/" + stem + ".png";
            files.put(path, TrainingCurves.png(m.run(), series));
            all.add(Figure.of(m.run(), caption, path));
        }
        all.addAll(figures);
        files.put(INDEX, utf8(LeaderboardPage.render(tables, all, Diagnostics.html(diagnostics))));
        return files;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
