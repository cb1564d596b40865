package org.vaespark.jobs.leaderboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vaespark.core.errors.Errors;
import org.vaespark.jobs.eval.MetricSchema;
import org.vaespark.jobs.eval.MetricValue;

/**
 * The diagnostics of each evaluated checkpoint beside the ranking: ELBO terms,
 * aggregated-posterior statistics (Hoffman &amp; Johnson 2016), the post-hoc mixture prior's
 * gain, imputation and OOD scores — as an HTML section and as Markdown. A figure that was not
 * computed shows "—" and its reason, never a number.
 */
public final class Diagnostics {
    private Diagnostics() {
    }

    /** Entries grouped by evaluated checkpoint and split, in table order. */
    static Map<String, List<MetricSchema.Entry>> byCheckpoint(List<MetricSchema.Entry> entries) {
        Map<String, List<MetricSchema.Entry>> out = new LinkedHashMap<>();
        for (MetricSchema.Entry e : entries) {
            out.computeIfAbsent(e.run() + " · " + Errors.redact(e.checkpoint()) + " · " + e.split(), k -> new ArrayList<>()).add(e);
        }
        return out;
    }

    static String value(MetricValue v) {
        if (!v.present()) {
            return "—";
        }
        String s = String.format(Locale.ROOT, "%.4g", v.mean());
        return v.stderr() == null || v.stderr().isNaN() ? s : s + String.format(Locale.ROOT, " ± %.2g", v.stderr());
    }

    /** The HTML section (empty string when there are no diagnostics). */
    public static String html(List<MetricSchema.Entry> entries) {
        if (entries.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("<section id=\"diagnostics\">\n<h2>Diagnostics</h2>\n");
        for (Map.Entry<String, List<MetricSchema.Entry>> g : byCheckpoint(entries).entrySet()) {
            sb.append("<h3>").append(Html.escape(g.getKey())).append("</h3>\n<table class=\"diagnostics\">\n<thead><tr>")
                    .append("<th>metric</th><th>value ± s.e.</th><th>n</th><th>k</th><th>how / why absent</th></tr></thead>\n<tbody>\n");
            for (MetricSchema.Entry e : g.getValue()) {
                MetricValue v = e.value();
                sb.append("<tr><td>").append(Html.escape(v.metric())).append("</td><td")
                        .append(v.present() ? " class=\"num\">" : " class=\"absent\">").append(Html.escape(value(v)))
                        .append("</td><td class=\"num\">").append(v.present() ? Long.toString(v.n()) : "—")
                        .append("</td><td class=\"num\">").append(v.k() == null ? "—" : v.k().toString())
                        .append("</td><td>").append(v.note() == null ? "" : Html.escape(v.note())).append("</td></tr>\n");
            }
            sb.append("</tbody>\n</table>\n");
        }
        return sb.append("</section>\n").toString();
    }

    /** The Markdown section (empty string when there are no diagnostics). */
    public static String markdown(List<MetricSchema.Entry> entries) {
        if (entries.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("\n## Diagnostics\n");
        for (Map.Entry<String, List<MetricSchema.Entry>> g : byCheckpoint(entries).entrySet()) {
            sb.append("\n### ").append(g.getKey()).append("\n\n| metric | value ± s.e. | n | k | how / why absent |\n|---|---:|---:|---:|---|\n");
            for (MetricSchema.Entry e : g.getValue()) {
                MetricValue v = e.value();
                sb.append("| ").append(v.metric()).append(" | ").append(value(v)).append(" | ").append(v.present() ? v.n() : "—")
                        .append(" | ").append(v.k() == null ? "—" : v.k()).append(" | ")
                        .append(v.note() == null ? "" : v.note().replace("|", "\\|")).append(" |\n");
            }
        }
        return sb.toString();
    }
}
