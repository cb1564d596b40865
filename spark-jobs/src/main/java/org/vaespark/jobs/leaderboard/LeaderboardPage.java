package org.vaespark.jobs.leaderboard;

import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The leaderboard as one self-contained static HTML page (index.html): inline CSS, a small
 * vanilla-JS column sorter, no network. It renders the same {@link LeaderboardTables} as the
 * Markdown and the CSVs: one table per {@link DatasetTable}, our rows ("reproduced") and the
 * published numbers ("reported", with their citation) in two separate row groups that sorting
 * never mixes. NLL = −log p(x) (IWAE-k of Burda et al. 2016, or the ELBO); a value that does not
 * exist is shown as "—" with the reason, never as 0, NaN or a placeholder. Then the figures of
 * each run (training curves and whatever else the caller links), as relative PNG paths.
 */
public final class LeaderboardPage {
    /** The column headings, in order. */
    public static final List<String> COLUMNS = List.of("model", "binarization / version", "estimator", "k",
            "NLL ± s.e. (nats)", "bits/dim", "amortization gap ± s.e. (nats)", "multimodal (MVAE)", "n", "seed", "parameters", "examples seen", "train wall (s)",
            "eval wall (s)", "checkpoint / source");

    private LeaderboardPage() {
    }

    /** One cell: shown text, the key the sorter compares (numeric where {@code numeric}), or the reason it is absent. */
    record Cell(String text, String sort, boolean numeric, String absent, String note) {
        static Cell text(String s) {
            return new Cell(s, s, false, null, null);
        }

        static Cell number(String shown, double value) {
            return new Cell(shown, Double.toString(value), true, null, null);
        }

        static Cell absent(String reason) {
            return new Cell(null, null, false, reason, null);
        }

        Cell withNote(String n) {
            return new Cell(text, sort, numeric, absent, n);
        }
    }

    /** The page for {@code board}, with {@code figures} (may be empty) grouped by run in their given order. */
    public static String render(LeaderboardTables board, List<Figure> figures) {
        return render(board, figures, "");
    }

    /** As above, with a diagnostics section ({@link Diagnostics#html}) between the tables and the figures. */
    public static String render(LeaderboardTables board, List<Figure> figures, String diagnostics) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>VAE leaderboard</title>\n<link rel=\"icon\" href=\"data:,\">\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        sb.append("<header>\n<h1>Leaderboard</h1>\n<p>Split: <strong>").append(Html.escape(board.split()))
                .append("</strong>. Click a column heading to sort; reproduced and reported rows are sorted within their own group.</p>\n");
        sb.append("<nav><ul>\n");
        for (DatasetTable t : board.tables()) {
            sb.append("<li><a href=\"#").append(Html.escape(t.benchmark().slug())).append("\">")
                    .append(Html.escape(t.benchmark().title())).append("</a></li>\n");
        }
        sb.append("<li><a href=\"#figures\">Figures</a></li>\n</ul></nav>\n</header>\n<main>\n");
        for (DatasetTable t : board.tables()) {
            table(sb, t);
        }
        sb.append(diagnostics);
        figures(sb, figures);
        sb.append("</main>\n<script>\n").append(SORTER).append("</script>\n</body>\n</html>\n");
        return sb.toString();
    }

    /** The cells of one line, in {@link #COLUMNS} order. */
    static List<Cell> cells(LeaderboardEntry e) {
        boolean ours = e.kind() == LeaderboardEntry.Kind.REPRODUCED;
        String missing = ours ? "not recorded" : "not published";
        List<Cell> c = new ArrayList<>();
        c.add(Cell.text(e.model()));
        c.add(e.qualifier() != null ? Cell.text(e.qualifier()) : Cell.absent("not applicable"));
        c.add(e.metric() != null ? Cell.text(e.metric().toUpperCase(Locale.ROOT))
                : Cell.absent("not stated by the source"));
        c.add(e.estimatorK() != null ? Cell.number(Integer.toString(e.estimatorK()), e.estimatorK())
                : Cell.absent(ours ? missing : "not stated by the source"));
        c.add(value(e, PublishedResult.NATS, ours ? null : "published in bits/dim"));
        c.add(ours ? bits(e) : value(e, PublishedResult.BITS_PER_DIM, "published in nats"));
        c.add(amortizationGap(e, ours));
        c.add(multimodal(e, ours));
        Cell n = count(e.n(), missing);
        c.add(e.selectionNote() == null || e.n() == null ? n : n.withNote("(" + e.selectionNote() + ")"));
        c.add(e.seed() != null ? Cell.number(e.seed().toString(), e.seed()) : Cell.absent(missing));
        c.add(count(e.parameters(), missing));
        c.add(count(e.examplesSeen(), missing));
        c.add(seconds(e.trainWallSeconds(), missing));
        c.add(seconds(e.evalWallSeconds(), missing));
        c.add(Cell.text(e.checkpointOrSource()));
        return c;
    }

    private static void table(StringBuilder sb, DatasetTable t) {
        String slug = t.benchmark().slug();
        sb.append("<section class=\"benchmark\" id=\"").append(Html.escape(slug)).append("\">\n<h2>")
                .append(Html.escape(t.benchmark().title())).append("</h2>\n<p class=\"legend\">")
                .append(Html.escape(t.legend())).append("</p>\n");
        sb.append("<table class=\"board\" data-benchmark=\"").append(Html.escape(slug)).append("\">\n<thead><tr>");
        for (String col : COLUMNS) {
            String heading = "binarization / version".equals(col) ? (t.benchmark().isMnist() ? "binarization" : "version") : col;
            sb.append("<th scope=\"col\"><button type=\"button\">").append(Html.escape(heading)).append("</button></th>");
        }
        sb.append("</tr></thead>\n");
        group(sb, t.fullSplit(), "reproduced", "Reproduced: evaluated here on the " + t.split() + " split",
                "No reproduced results on the " + t.split() + " split yet.");
        if (!t.partialSplit().isEmpty()) {
            group(sb, t.partialSplit(), "partial", t.partialHeading(), "");
        }
        group(sb, t.reported(), "reported", "Reported: as published, not re-run here (citation in the last column)",
                "No published reference numbers for this benchmark.");
        sb.append("</table>\n</section>\n");
    }

    private static void group(StringBuilder sb, List<LeaderboardEntry> entries, String kind,
                              String heading, String empty) {
        sb.append("<tbody class=\"").append(kind).append("\">\n<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"")
                .append(COLUMNS.size()).append("\">").append(Html.escape(heading)).append("</th></tr>\n");
        if (entries.isEmpty()) {
            sb.append("<tr class=\"empty\"><td colspan=\"").append(COLUMNS.size()).append("\">")
                    .append(Html.escape(empty)).append("</td></tr>\n");
        }
        for (LeaderboardEntry e : entries) {
            sb.append("<tr class=\"entry ").append(kind).append("\">");
            for (Cell c : cells(e)) {
                cell(sb, c);
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n");
    }

    private static void cell(StringBuilder sb, Cell c) {
        if (c.absent() != null) {
            sb.append("<td class=\"absent\">— <span class=\"why\">").append(Html.escape(c.absent())).append("</span></td>");
            return;
        }
        sb.append("<td").append(c.numeric() ? " class=\"num\"" : "").append(" data-sort=\"")
                .append(Html.escape(c.sort())).append("\">").append(Html.escape(c.text()));
        if (c.note() != null) {
            sb.append(" <span class=\"why\">").append(Html.escape(c.note())).append("</span>");
        }
        sb.append("</td>");
    }

    /** An MVAE's per-modality IWAE-k and cross-modal figure (Wu &amp; Goodman 2018), or why there are none. */
    private static Cell multimodal(LeaderboardEntry e, boolean ours) {
        MultimodalFigures m = e.multimodal();
        if (m == null) {
            return Cell.absent(ours ? "not evaluated (evaluate.diagnostics = [multimodal], model.kind = mvae)" : "not published");
        }
        if (m.text() == null) {
            return Cell.absent(m.absentReason());
        }
        return Double.isNaN(m.sortKey()) ? Cell.text(m.text()) : Cell.number(m.text(), m.sortKey());
    }

    /** ELBO(q*) − ELBO(q_φ) of the checkpoint (Cremer, Li &amp; Duvenaud 2018), or why there is none. */
    private static Cell amortizationGap(LeaderboardEntry e, boolean ours) {
        org.vaespark.jobs.eval.MetricValue g = e.amortizationGap();
        if (g == null) {
            return Cell.absent(ours ? "not evaluated (evaluate.diagnostics = [amortization])" : "not published");
        }
        if (!g.present()) {
            return Cell.absent(g.note());
        }
        String shown = String.format(Locale.ROOT, "%.2f", g.mean())
                + (g.stderr() == null ? "" : String.format(Locale.ROOT, " ± %.2f", g.stderr()));
        return Cell.number(shown, g.mean());
    }

    /** The NLL in {@code unit} with its standard error, or absent with {@code otherUnit} as the reason. */
    private static Cell value(LeaderboardEntry e, String unit, String otherUnit) {
        if (!unit.equals(e.unit())) {
            return Cell.absent(otherUnit);
        }
        boolean ours = e.kind() == LeaderboardEntry.Kind.REPRODUCED;
        String shown = (e.upperBound() ? "≤ " : "")
                + (ours ? e.nll().setScale(2, RoundingMode.HALF_UP).toPlainString() : e.nll().toPlainString());
        Cell c = Cell.number(shown + (e.stderr() != null ? String.format(Locale.ROOT, " ± %.2f", e.stderr()) : ""),
                e.nll().doubleValue());
        return e.stderr() != null ? c : c.withNote("(s.e. " + (e.stderrNote() == null ? "absent" : e.stderrNote()) + ")");
    }

    /** Our bits/dim (docs/math.md, Evaluation protocol), or why it is not defined for this model and pixel encoding. */
    private static Cell bits(LeaderboardEntry e) {
        String note = e.bitsPerDimNote() == null ? "not recorded" : e.bitsPerDimNote().replaceFirst("^bits/dim: ", "");
        if (e.bitsPerDim() == null) {
            return Cell.absent(note);
        }
        return Cell.number(String.format(Locale.ROOT, "%.4f", e.bitsPerDim()), e.bitsPerDim());
    }

    private static Cell count(Long v, String missing) {
        return v == null ? Cell.absent(missing) : Cell.number(String.format(Locale.ROOT, "%,d", v), v);
    }

    private static Cell seconds(Double v, String missing) {
        return v == null ? Cell.absent(missing) : Cell.number(String.format(Locale.ROOT, "%,.1f", v), v);
    }

    private static void figures(StringBuilder sb, List<Figure> figures) {
        sb.append("<section id=\"figures\">\n<h2>Figures</h2>\n");
        if (figures.isEmpty()) {
            sb.append("<p class=\"empty\">No figures were rendered for this leaderboard "
                    + "(training curves need leaderboard.runs).</p>\n");
        }
        Map<String, List<Figure>> byRun = new LinkedHashMap<>();
        for (Figure f : figures) {
            byRun.computeIfAbsent(f.run(), r -> new ArrayList<>()).add(f);
        }
        for (Map.Entry<String, List<Figure>> run : byRun.entrySet()) {
            sb.append("<div class=\"run\">\n<h3>Run ").append(Html.escape(run.getKey())).append("</h3>\n");
            for (Figure f : run.getValue()) {
                if (f.path() == null) {
                    sb.append("<p class=\"absent\">").append(Html.escape(f.caption())).append(": — <span class=\"why\">")
                            .append(Html.escape(f.absent())).append("</span></p>\n");
                } else {
                    sb.append("<figure><img src=\"").append(Html.escape(f.path())).append("\" alt=\"")
                            .append(Html.escape(f.caption())).append("\"><figcaption>")
                            .append(Html.escape(f.caption())).append("</figcaption></figure>\n");
                }
            }
            sb.append("</div>\n");
        }
        sb.append("</section>\n");
    }

    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem; color: #1d1d1f; }
            nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; }
            .legend { font-size: 0.85rem; color: #555; max-width: 70rem; }
            table.board { border-collapse: collapse; font-size: 0.85rem; margin-bottom: 2rem; }
            table.board th, table.board td { border: 1px solid #d0d0d0; padding: 0.25rem 0.5rem; vertical-align: top; }
            table.board thead th { background: #eef1f5; position: sticky; top: 0; }
            table.board thead button { all: unset; cursor: pointer; font-weight: 600; }
            table.board thead th[aria-sort="ascending"] button::after { content: " ▲"; }
            table.board thead th[aria-sort="descending"] button::after { content: " ▼"; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            tr.group th { text-align: left; font-weight: 600; padding-top: 0.5rem; }
            tbody.reproduced tr.group th { background: #e3f0e6; }
            tbody.reported { border-top: 4px double #8a7a4a; }
            tbody.reported tr.group th { background: #f3ecd7; }
            tbody.reported tr.entry td { background: #fbf8ef; color: #3c3a33; }
            .absent, .why { color: #888; }
            .why { font-size: 0.8em; }
            figure { display: inline-block; margin: 0 1rem 1rem 0; }
            figure img { max-width: 100%; border: 1px solid #ddd; }
            figcaption { font-size: 0.85rem; color: #555; }
            """;

    private static final String SORTER = """
            (function () {
              function key(row, col) {
                var td = row.cells[col];
                if (!td || td.classList.contains('absent')) { return null; }
                var v = td.getAttribute('data-sort');
                return td.classList.contains('num') ? parseFloat(v) : v.toLowerCase();
              }
              function compare(a, b) {
                if (a === null || b === null) { return a === b ? 0 : (a === null ? 1 : -1); }
                return a < b ? -1 : (a > b ? 1 : 0);
              }
              document.querySelectorAll('table.board').forEach(function (table) {
                var heads = table.querySelectorAll('thead th');
                heads.forEach(function (th, col) {
                  th.querySelector('button').addEventListener('click', function () {
                    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
                    heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
                    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
                    table.querySelectorAll('tbody').forEach(function (body) {
                      var rows = Array.prototype.slice.call(body.querySelectorAll('tr.entry'));
                      rows.sort(function (a, b) {
                        var ka = key(a, col), kb = key(b, col);
                        if (ka === null || kb === null) { return compare(ka, kb); }
                        return dir * compare(ka, kb);
                      });
                      rows.forEach(function (r) { body.appendChild(r); });
                    });
                  });
                });
              });
            })();
            """;
}
