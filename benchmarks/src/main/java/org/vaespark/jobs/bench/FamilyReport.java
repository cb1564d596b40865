package org.vaespark.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** FamilyBenchmarkJob's output: the JSON of everything measured so far and its Markdown tables beside it (.md). */
public final class FamilyReport {
    private FamilyReport() {
    }

    /** Writes {@code out} as JSON to {@code file} and the quality and speed tables of its rows to the .md beside it. */
    public static void write(Path file, Map<String, Object> out, List<Map<String, Object>> quality, List<Map<String, Object>> speed,
                             double budget) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out) + "\n");
        String md = (quality.isEmpty() ? "" : qualityTable(quality, budget)) + (speed.isEmpty() ? "" : "\n" + speedTable(speed, out));
        Files.writeString(markdownFile(file), md);
    }

    public static Path markdownFile(Path json) {
        return json.resolveSibling(json.getFileName().toString().replaceAll("\\.json$", "") + ".md");
    }

    static String speedTable(List<Map<String, Object>> rows, Map<String, Object> out) {
        StringBuilder s = new StringBuilder();
        s.append("Native build: ").append(out.get("native_build_summary")).append("; ").append(out.get("speed_method")).append("\n\n");
        s.append("| experiment | model | executor | examples/s | model GFLOP/s | of sgemm | graph examples/s | speed-up | IWAE-k images/s"
                + " | IWAE of sgemm | heap MB (step a / b) | RSS MB (step a / b) | IWAE RSS MB (small k / k) |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            if (r.containsKey("failed")) {
                s.append("| ").append(r.get("experiment")).append(" | not measured: ").append(String.valueOf(r.get("failed")).replace("|", "\\|"))
                        .append(" | | | | | | | | | | | |\n");
                continue;
            }
            Map<?, ?> early = (Map<?, ?>) r.get("train_memory_early");
            Map<?, ?> late = (Map<?, ?>) r.get("train_memory_late");
            Map<?, ?> small = (Map<?, ?>) r.get("iwae_memory_small_k");
            Map<?, ?> big = (Map<?, ?>) r.get("iwae_memory_k");
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.1f | %.2f | %s | %s | %.2f (k=%d) | %.2f | %.0f / %.0f (%d / %d) | %.0f / %.0f | %.0f / %.0f (%d / %d) |%n",
                    r.get("experiment"), r.get("model"), r.get("executor"), num(r, "train_examples_per_s"), num(r, "train_examples_model_gflops"),
                    num(r, "train_examples_fraction_of_sgemm"), orAbsent(num(r, "graph_train_examples_per_s"), "%.0f"),
                    orAbsent(num(r, "speedup_over_graph"), "%.1fx"),
                    num(r, "iwae_images_per_s"), ((Number) r.get("iwae_k")).intValue(), num(r, "iwae_images_fraction_of_sgemm"),
                    num(early, "heap_used_mb"), num(late, "heap_used_mb"), ((Number) early.get("step")).longValue(),
                    ((Number) late.get("step")).longValue(), num(early, "vm_rss_mb"), num(late, "vm_rss_mb"),
                    num(small, "vm_rss_mb"), num(big, "vm_rss_mb"), ((Number) small.get("k")).intValue(), ((Number) big.get("k")).intValue()));
        }
        return s.toString();
    }

    static String qualityTable(List<Map<String, Object>> rows, double budget) {
        StringBuilder s = new StringBuilder();
        s.append("| experiment | model | params | epochs in ").append((long) budget).append(" CPU-s | examples/CPU-s | test IWAE-k (nats) | test ELBO | k | images |\n");
        s.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.0f | %.2f ± %.2f | %.2f | %d | %d |%n",
                    r.get("experiment"), r.get("model"), (Long) r.get("parameters"), num(r, "train_epochs"),
                    num(r, "train_examples_per_cpu_second"), num(r, "test_iwae_mean"), num(r, "test_iwae_standard_error"),
                    num(r, "test_elbo_mean"), (Integer) r.get("iwae_k"), (Integer) r.get("test_images")));
        }
        return s.toString();
    }

    /** The figure, or "no graph" where the graph could not run the model (its row's graph_run says why). */
    private static String orAbsent(double v, String format) {
        return Double.isNaN(v) ? "no graph" : String.format(Locale.ROOT, format, v);
    }

    private static double num(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
