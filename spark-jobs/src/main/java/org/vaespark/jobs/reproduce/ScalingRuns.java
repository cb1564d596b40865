package org.vaespark.jobs.reproduce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.errors.Errors;

/**
 * What parameter averaging costs in quality (Zinkevich et al. 2010's averaged SGD, as the trainer runs it): a row
 * trained with R replicas averaging every F local steps for the same number of epochs, from
 * {@code submit/reproduce.sh --scaling <row>}'s runs in {@code <repro>/scaling/<row>/p<R>-f<F>}, each beside the
 * 2-replica run of the same frequency.
 */
public final class ScalingRuns {
    private static final Pattern NAME = Pattern.compile("p(\\d+)-f(\\d+)");

    /** One run of the grid; {@code run} is empty until it has been trained and evaluated. */
    public record Run(String row, int replicas, int frequency, Optional<ReproducedRun> run) {
    }

    private final List<Run> runs;

    public ScalingRuns(List<Run> runs) {
        this.runs = List.copyOf(runs);
    }

    public List<Run> runs() {
        return runs;
    }

    /** Every {@code p<R>-f<F>} directory under {@code <repro>/scaling/<row>/}, ordered by row, frequency, replicas. */
    public static ScalingRuns read(SparkSession spark, Path repro) {
        Path root = repro.resolve("scaling");
        List<Run> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return new ScalingRuns(out);
        }
        try (Stream<Path> rows = Files.list(root)) {
            for (Path row : rows.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> runs = Files.list(row)) {
                    for (Path run : runs.filter(Files::isDirectory).toList()) {
                        Matcher m = NAME.matcher(run.getFileName().toString());
                        if (m.matches()) {
                            out.add(new Run(row.getFileName().toString(), Integer.parseInt(m.group(1)),
                                    Integer.parseInt(m.group(2)), ReproducedRun.read(spark, run)));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw Errors.missingInput(root.toString(), "a readable directory of scaling runs (" + e.getMessage() + ")");
        }
        out.sort(Comparator.comparing(Run::row).thenComparingInt(Run::frequency).thenComparingInt(Run::replicas));
        return new ScalingRuns(out);
    }

    /** The Markdown section; empty when no scaling run exists. */
    public String markdown() {
        if (runs.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("## What scaling out costs in quality\n\n");
        b.append("Generated from `submit/reproduce.sh --scaling <row>`: the row's protocol with R replicas ")
                .append("(`train.partitions`) averaging every F local steps, for the same number of epochs with no early ")
                .append("stopping, so every run sees the same examples. Δ = NLL − NLL of the 2-replica run at the same F ")
                .append("(positive = worse); both are scored on the same test images.\n\n");
        b.append("| Row | Replicas | Averaging every | Test NLL ± s.e. | Δ vs 2 replicas | Trained | Test set |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            b.append("| ").append(r.row()).append(" | ").append(r.replicas()).append(" | ").append(r.frequency())
                    .append(r.frequency() == 1 ? " step" : " steps").append(" | ");
            if (r.run().isEmpty()) {
                b.append("not run yet | — | — | — |\n");
                continue;
            }
            ReproducedRun x = r.run().get();
            b.append(fmt(x.nll())).append(" ± ").append(fmt(x.result().stderr())).append(" | ");
            Optional<ReproducedRun> base = baseline(r);
            b.append(r.replicas() == 2 ? "—" : base.map(y -> String.format(Locale.ROOT, "%+.2f", x.nll() - y.nll()))
                    .orElse("no 2-replica run yet")).append(" | ");
            b.append(String.format(Locale.ROOT, "%.0f epochs, %,d examples", x.epochsTrained(), x.latest().examplesSeen()))
                    .append(" | ");
            b.append(x.fullProtocolEvaluation() ? "all " + x.result().n() + ", k = " + x.result().estimatorK()
                    : "**partial**: n = " + x.result().n() + ", k = " + x.result().estimatorK()).append(" |\n");
        }
        return b.append("\n").toString();
    }

    private Optional<ReproducedRun> baseline(Run r) {
        return runs.stream().filter(o -> o.row().equals(r.row()) && o.frequency() == r.frequency() && o.replicas() == 2)
                .findFirst().flatMap(Run::run);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
