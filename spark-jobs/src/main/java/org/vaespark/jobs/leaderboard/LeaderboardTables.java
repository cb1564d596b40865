package org.vaespark.jobs.leaderboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vaespark.jobs.eval.MetricSchema;

/**
 * Builds the leaderboard from the results table and the published reference numbers: one
 * {@link DatasetTable} per {@link Benchmark}, with our rows ("reproduced") and the literature's
 * ("reported") in separate sections. Published MNIST rows sit beside our results with the same
 * binarization: static ones beside {@value Benchmark#BINARIZED_MNIST}, dynamic ones beside
 * {@value Benchmark#MNIST} with binarization dynamic. NLL is the test-set IWAE-k estimate of
 * Burda et al. (2016) unless a row says ELBO.
 *
 * <p>Re-running an evaluation appends a row with the same (run, checkpoint, split, metric, k);
 * only the one with the latest {@code evaluated_at} is kept.
 */
public final class LeaderboardTables {
    /** The split the leaderboard reports unless told otherwise. */
    public static final String DEFAULT_SPLIT = "test";

    private static final Comparator<ResultRow> BY_NLL = Comparator.comparingDouble(ResultRow::nll)
            .thenComparing(ResultRow::run)
            .thenComparing(ResultRow::checkpoint)
            .thenComparing(ResultRow::metric)
            .thenComparingInt(ResultRow::estimatorK);

    private final String split;
    private final List<DatasetTable> tables;

    private LeaderboardTables(String split, List<DatasetTable> tables) {
        this.split = split;
        this.tables = List.copyOf(tables);
    }

    /** The leaderboard of the {@value #DEFAULT_SPLIT} split. */
    public static LeaderboardTables build(List<ResultRow> results, List<PublishedResult> published) {
        return build(results, published, DEFAULT_SPLIT);
    }

    /**
     * The leaderboard of one split: results of other splits are left out (published numbers are
     * test-set numbers, so compare them with {@value #DEFAULT_SPLIT} only).
     */
    public static LeaderboardTables build(List<ResultRow> results, List<PublishedResult> published, String split) {
        return build(results, published, split, List.of());
    }

    /**
     * As above, each of our rows with its checkpoint's amortization gap and MVAE figures on the split, from
     * {@code metrics} (the results table's diagnostics; the latest entry of a checkpoint, split and metric wins).
     */
    public static LeaderboardTables build(List<ResultRow> results, List<PublishedResult> published, String split,
                                          List<MetricSchema.Entry> metrics) {
        Map<String, MetricSchema.Entry> gaps = new java.util.HashMap<>();
        for (MetricSchema.Entry m : metrics) {
            if (m.value().metric().equals(org.vaespark.jobs.eval.AmortizationReport.AMORTIZATION_GAP) && m.split().equals(split)) {
                gaps.merge(m.checkpoint(), m, (old, cur) -> cur.evaluatedAt().compareTo(old.evaluatedAt()) >= 0 ? cur : old);
            }
        }
        Map<String, Map<String, MetricSchema.Entry>> multimodal = new java.util.HashMap<>();
        for (MetricSchema.Entry m : metrics) {
            if (m.value().metric().startsWith("mvae_") && m.split().equals(split)) {
                multimodal.computeIfAbsent(m.checkpoint(), c -> new java.util.HashMap<>()).merge(m.value().metric(), m,
                        (old, cur) -> cur.evaluatedAt().compareTo(old.evaluatedAt()) >= 0 ? cur : old);
            }
        }
        Map<Benchmark, List<ResultRow>> ours = new TreeMap<>();
        for (ResultRow r : latestOnly(results)) {
            if (r.split().equals(split)) {
                ours.computeIfAbsent(r.benchmark(), b -> new ArrayList<>()).add(r);
            }
        }
        Map<Benchmark, List<PublishedResult>> theirs = new TreeMap<>();
        for (PublishedResult p : published) {
            theirs.computeIfAbsent(p.benchmark(), b -> new ArrayList<>()).add(p);
        }
        TreeSet<Benchmark> benchmarks = new TreeSet<>(ours.keySet());
        benchmarks.addAll(theirs.keySet());
        List<DatasetTable> tables = new ArrayList<>();
        for (Benchmark b : benchmarks) {
            List<LeaderboardEntry> reproduced = ours.getOrDefault(b, List.of()).stream()
                    .sorted(BY_NLL).map(r -> LeaderboardEntry.reproduced(r,
                            gaps.containsKey(r.checkpoint()) ? gaps.get(r.checkpoint()).value() : null,
                            multimodal(multimodal.get(r.checkpoint())))).toList();
            List<LeaderboardEntry> reported = theirs.getOrDefault(b, List.of()).stream()
                    .map(LeaderboardEntry::reported).toList();
            tables.add(new DatasetTable(b, split, reproduced, reported));
        }
        return new LeaderboardTables(split, tables);
    }

    private static MultimodalFigures multimodal(Map<String, MetricSchema.Entry> entries) {
        if (entries == null) {
            return null;
        }
        Map<String, org.vaespark.jobs.eval.MetricValue> values = new java.util.HashMap<>();
        entries.forEach((name, e) -> values.put(name, e.value()));
        return new MultimodalFigures(values);
    }

    /**
     * One row per (run, checkpoint, split, metric, k): the one with the latest
     * {@code evaluated_at}; of rows with equal timestamps, the last in the list. Order of first
     * appearance is kept.
     */
    public static List<ResultRow> latestOnly(List<ResultRow> results) {
        Map<ResultRow.Key, ResultRow> latest = new LinkedHashMap<>();
        for (ResultRow r : results) {
            latest.merge(r.key(), r, (old, cur) ->
                    cur.evaluatedInstant().isBefore(old.evaluatedInstant()) ? old : cur);
        }
        return List.copyOf(latest.values());
    }

    public String split() {
        return split;
    }

    /** One table per benchmark: MNIST static, MNIST dynamic, other MNIST, CIFAR-10, ImageNet 64x64, others. */
    public List<DatasetTable> tables() {
        return tables;
    }

    /** The whole leaderboard as one Markdown document. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("# Leaderboard\n");
        for (DatasetTable t : tables) {
            sb.append('\n').append(t.toMarkdown());
        }
        return sb.toString();
    }

    /** One CSV per benchmark, keyed by file name (e.g. "binarized-mnist_static.csv"), in table order. */
    public Map<String, String> toCsv() {
        Map<String, String> files = new LinkedHashMap<>();
        for (DatasetTable t : tables) {
            files.put(t.benchmark().slug() + ".csv", t.toCsv());
        }
        return files;
    }
}
