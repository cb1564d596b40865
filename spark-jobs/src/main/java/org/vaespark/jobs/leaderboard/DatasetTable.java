package org.vaespark.jobs.leaderboard;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vaespark.jobs.eval.MetricValue;

/**
 * The leaderboard of one {@link Benchmark}: our results ("reproduced", sorted by NLL) and the
 * published numbers for the same benchmark ("reported", in the order of published.csv), kept in
 * two separate sections. Renders as Markdown (for people) and CSV (full precision, for tools).
 *
 * <p>NLL = −log p(x), lower is better; IWAE-k is the importance-weighted estimate of Burda et
 * al. (2016), the evaluation protocol of docs/math.md (Evaluation protocol). A value that does not exist is "—" in
 * Markdown and an empty field in CSV, never 0. Our rows on part of the split (a hash subset,
 * {@code eval.max-examples}) get a section of their own, so they never stand beside the full-split
 * and published numbers; their n says which subset.
 */
public record DatasetTable(Benchmark benchmark, String split, List<LeaderboardEntry> reproduced,
                           List<LeaderboardEntry> reported) {

    public static final List<String> CSV_HEADER = List.of("kind", "model", "binarization_or_version", "estimator",
            "nll", "bound", "unit", "stderr", "stderr_note", "n", "seed", "parameters", "examples_seen",
            "train_wall_seconds", "eval_wall_seconds", "checkpoint_or_source", "bits_per_dim", "bits_per_dim_note",
            "executor", "selection", "amortization_gap", "amortization_gap_stderr", "amortization_gap_note", "mvae_iwae_modality_0",
            "mvae_iwae_modality_1", "mvae_label_accuracy", "mvae_bottom_mse", "mvae_note");

    static final String NONE = "—";

    public DatasetTable {
        reproduced = List.copyOf(reproduced);
        reported = List.copyOf(reported);
    }

    /** Our rows on the whole split (or whose selection was not recorded, marked so in their n). */
    public List<LeaderboardEntry> fullSplit() {
        return reproduced.stream().filter(e -> !e.partial()).toList();
    }

    /** Our rows on part of the split, apart from the rest. */
    public List<LeaderboardEntry> partialSplit() {
        return reproduced.stream().filter(LeaderboardEntry::partial).toList();
    }

    /** The heading of {@link #partialSplit()}. */
    public String partialHeading() {
        return "Reproduced on part of the " + split + " split: a fixed hash subset (the same for every model), "
                + "not comparable with full-split or reported numbers";
    }

    /** The legend printed under every heading. */
    public String legend() {
        return "NLL = −log p(x) in nats (bits/dim where the unit column says so), lower is better. "
                + "IWAE-k: importance-weighted estimate with k samples (Burda et al. 2016); "
                + "ELBO: evidence lower bound, so its NLL is an upper bound; ≤: upper bound as printed by the source. "
                + "\"reproduced\" = evaluated here on the " + split + " split; "
                + "\"reported\" = as published, not re-run here; — = not available.";
    }

    /** A heading, the legend, then the reproduced and the reported section, each its own table. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("## ").append(benchmark.title()).append("\n\n");
        sb.append(legend()).append("\n\n");
        sb.append("### Reproduced\n\n");
        section(sb, fullSplit(), "checkpoint", "_No reproduced results on the " + split + " split yet._");
        if (!partialSplit().isEmpty()) {
            sb.append("\n### ").append(partialHeading()).append("\n\n");
            section(sb, partialSplit(), "checkpoint", "");
        }
        sb.append("\n### Reported\n\n");
        section(sb, reported, "source", "_No published reference numbers for this benchmark._");
        return sb.toString();
    }

    /** Header row, then the reproduced rows, then the reported rows; lines end with \n. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(Csv.line(CSV_HEADER)).append('\n');
        for (LeaderboardEntry e : all()) {
            sb.append(Csv.line(csvFields(e))).append('\n');
        }
        return sb.toString();
    }

    private List<LeaderboardEntry> all() {
        List<LeaderboardEntry> all = new ArrayList<>(reproduced);
        all.addAll(reported);
        return all;
    }

    private void section(StringBuilder sb, List<LeaderboardEntry> entries, String lastColumn, String empty) {
        if (entries.isEmpty()) {
            sb.append(empty).append('\n');
            return;
        }
        String qualifierColumn = benchmark.isMnist() ? "binarization" : "version";
        sb.append(markdownRow(List.of("kind", "model", qualifierColumn, "estimator", "NLL", "unit", "± s.e.", "bits/dim",
                "amortization gap", "multimodal (MVAE)", "n", "seed", "parameters", "examples seen", "train wall (s)", "eval wall (s)",
                lastColumn)));
        sb.append("|---|---|---|---|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (LeaderboardEntry e : entries) {
            sb.append(markdownRow(markdownFields(e)));
        }
    }

    private static List<String> markdownFields(LeaderboardEntry e) {
        boolean ours = e.kind() == LeaderboardEntry.Kind.REPRODUCED;
        String nll = ours ? e.nll().setScale(2, RoundingMode.HALF_UP).toPlainString() : e.nll().toPlainString();
        String stderr = e.stderr() != null ? String.format(Locale.ROOT, "%.2f", e.stderr())
                : NONE + (e.stderrNote() == null ? "" : " (" + e.stderrNote() + ")");
        return List.of(e.kind().label(), e.model(), orNone(e.qualifier()), orNone(e.estimator()),
                (e.upperBound() ? "≤ " : "") + nll, e.unit(), stderr,
                e.bitsPerDim() != null ? String.format(Locale.ROOT, "%.4f", e.bitsPerDim()) : NONE, gap(e), multimodal(e),
                count(e.n()) + (e.selectionNote() == null ? "" : " (" + e.selectionNote() + ")"),
                e.seed() == null ? NONE : e.seed().toString(), count(e.parameters()), count(e.examplesSeen()),
                seconds(e.trainWallSeconds()), seconds(e.evalWallSeconds()), e.checkpointOrSource());
    }

    private static List<String> csvFields(LeaderboardEntry e) {
        List<String> f = new ArrayList<>();
        f.add(e.kind().label());
        f.add(e.model());
        f.add(e.qualifier());
        f.add(e.estimator());
        f.add(e.nll().toPlainString());
        f.add(e.upperBound() ? PublishedResult.UPPER : null);
        f.add(e.unit());
        f.add(plain(e.stderr()));
        f.add(e.stderrNote());
        f.add(e.n() == null ? null : e.n().toString());
        f.add(e.seed() == null ? null : e.seed().toString());
        f.add(e.parameters() == null ? null : e.parameters().toString());
        f.add(e.examplesSeen() == null ? null : e.examplesSeen().toString());
        f.add(plain(e.trainWallSeconds()));
        f.add(plain(e.evalWallSeconds()));
        f.add(e.checkpointOrSource());
        f.add(plain(e.bitsPerDim()));
        f.add(e.bitsPerDimNote());
        f.add(e.executor());
        f.add(e.selection());
        MetricValue gap = e.amortizationGap();
        f.add(gap == null ? null : plain(gap.mean()));
        f.add(gap == null ? null : plain(gap.stderr()));
        f.add(gap == null ? null : gap.present() ? null : gap.note());
        if (e.multimodal() == null) {
            MultimodalFigures.CSV.forEach(c -> f.add(null));
        } else {
            f.addAll(e.multimodal().csv());
        }
        return f;
    }

    /** The MVAE's figures; "—" where the diagnostic did not run, "— (why)" where it was refused. */
    private static String multimodal(LeaderboardEntry e) {
        MultimodalFigures m = e.multimodal();
        if (m == null) {
            return NONE;
        }
        return m.text() != null ? m.text() : NONE + " (" + m.absentReason() + ")";
    }

    /** The amortization gap ± s.e. in nats; "—" where the diagnostic did not run, "— (why)" where it was refused. */
    private static String gap(LeaderboardEntry e) {
        MetricValue g = e.amortizationGap();
        if (g == null) {
            return NONE;
        }
        if (!g.present()) {
            return NONE + " (" + g.note() + ")";
        }
        return String.format(Locale.ROOT, "%.2f", g.mean()) + (g.stderr() == null ? "" : String.format(Locale.ROOT, " ± %.2f", g.stderr()));
    }

    private static String markdownRow(List<String> cells) {
        StringBuilder sb = new StringBuilder("|");
        for (String c : cells) {
            sb.append(' ').append(c.replace("|", "\\|").replace('\n', ' ').replace('\r', ' ')).append(" |");
        }
        return sb.append('\n').toString();
    }

    private static String orNone(String s) {
        return s == null ? NONE : s;
    }

    private static String count(Long v) {
        return v == null ? NONE : String.format(Locale.ROOT, "%,d", v);
    }

    private static String seconds(Double v) {
        return v == null ? NONE : String.format(Locale.ROOT, "%,.1f", v);
    }

    private static String plain(Double v) {
        return v == null ? null : BigDecimal.valueOf(v).toPlainString();
    }
}
