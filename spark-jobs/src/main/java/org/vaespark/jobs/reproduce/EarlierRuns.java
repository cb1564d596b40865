package org.vaespark.jobs.reproduce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.errors.Errors;

/**
 * Runs of a row's earlier configurations, kept so that the results page lists every run and never only the best: a
 * run that {@code submit/reproduce.sh --supersede <row> <label> <reason>} moved to
 * {@code <repro>/archive/<row>/<label>/} with the reason in {@code superseded.txt}. Only the row's current
 * configuration counts towards its target.
 */
public final class EarlierRuns {
    /** The file, in an archived run's directory, that says why its configuration was superseded. */
    public static final String REASON = "superseded.txt";

    /** One archived run; {@code run} is empty when it was superseded before its evaluation. */
    public record Run(String row, String label, String reason, Optional<ReproducedRun> run) {
    }

    private final List<Run> runs;

    public EarlierRuns(List<Run> runs) {
        this.runs = List.copyOf(runs);
    }

    public List<Run> runs() {
        return runs;
    }

    /** Every {@code <repro>/archive/<row>/<label>/} directory, ordered by row and label. */
    public static EarlierRuns read(SparkSession spark, Path repro) {
        Path root = repro.resolve("archive");
        List<Run> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return new EarlierRuns(out);
        }
        try (Stream<Path> rows = Files.list(root)) {
            for (Path row : rows.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> labels = Files.list(row)) {
                    for (Path run : labels.filter(Files::isDirectory).sorted().toList()) {
                        Path reason = run.resolve(REASON);
                        out.add(new Run(row.getFileName().toString(), run.getFileName().toString(),
                                Files.isRegularFile(reason) ? Files.readString(reason).trim() : null,
                                ReproducedRun.read(spark, run)));
                    }
                }
            }
        } catch (IOException e) {
            throw Errors.missingInput(root.toString(), "a readable directory of archived runs (" + e.getMessage() + ")");
        }
        out.sort(Comparator.comparing(Run::row).thenComparing(Run::label));
        return new EarlierRuns(out);
    }

    /** The Markdown section, each run beside its row's published value; empty when nothing was archived. */
    public String markdown(Map<String, PublishedRow> published) {
        if (runs.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("## Runs of earlier configurations\n\n");
        b.append("Every run that a row's command produced and that a later configuration of the row replaced ")
                .append("(`submit/reproduce.sh --supersede`), with the reason recorded when it was replaced. These runs ")
                .append("do not count towards the row's target; they are listed so that no run is hidden.\n\n");
        b.append("| Row | Run | Test NLL ± s.e. | Δ | Trained | Why it was superseded |\n|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            b.append("| ").append(r.row()).append(" | ").append(r.label()).append(" | ");
            PublishedRow p = published.get(r.row());
            if (r.run().isEmpty()) {
                b.append("not evaluated | — | — | ");
            } else {
                ReproducedRun x = r.run().get();
                b.append(fmt(x.nll())).append(" ± ").append(fmt(x.result().stderr()));
                if (!x.fullProtocolEvaluation()) {
                    b.append(" (**partial**: n = ").append(x.result().n()).append(", k = ").append(x.result().estimatorK()).append(")");
                }
                b.append(" | ").append(p == null ? "—" : String.format(Locale.ROOT, "%+.2f", x.nll() - p.published().doubleValue()))
                        .append(" | ").append(p == null ? fmt(x.epochsTrained()) + " epochs" : ResultsPage.status(p, x)).append(" | ");
            }
            b.append(r.reason() == null ? "not recorded" : r.reason().replace("|", "\\|").replace("\n", " ")).append(" |\n");
        }
        return b.append("\n").toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
