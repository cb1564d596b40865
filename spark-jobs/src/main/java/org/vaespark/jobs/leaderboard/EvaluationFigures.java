package org.vaespark.jobs.leaderboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.vaespark.jobs.eval.MetricSchema;

/**
 * The pictures the evaluations wrote (prior samples, reconstructions, interpolations, VampPrior
 * pseudo-inputs), for the leaderboard page: for each run, those of its latest evaluated
 * checkpoint that has any, copied under {@code figures/}; a picture recorded absent (its
 * {@code figure_*} metric) is shown with its reason.
 */
public final class EvaluationFigures {
    private EvaluationFigures() {
    }

    /** Files to add to the leaderboard directory and the figures to link. */
    public record Collected(Map<String, byte[]> files, List<Figure> figures) {
    }

    /**
     * @param pngs    {@code <run>/<checkpoint>/<evaluation>/figures/<name>.png} → bytes, as {@code ResultsTable.figures()} returns
     * @param metrics the evaluations' metrics (absent figures are {@code figure_<name>} metrics)
     */
    public static Collected collect(SortedMap<String, byte[]> pngs, List<MetricSchema.Entry> metrics) {
        Map<String, String> latest = new TreeMap<>();
        for (String path : pngs.keySet()) {
            String[] p = path.split("/");
            String evaluation = p[0] + "/" + p[1] + "/" + p[2];
            latest.merge(p[0], evaluation, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<Figure> figures = new ArrayList<>();
        for (Map.Entry<String, String> run : latest.entrySet()) {
            for (Map.Entry<String, byte[]> png : pngs.entrySet()) {
                if (png.getKey().startsWith(run.getValue() + "/figures/")) {
                    String name = png.getKey().substring(png.getKey().lastIndexOf('/') + 1);
                    String target = "figures/" + Figure.fileStem(run.getKey()) + "/" + name;
                    files.put(target, png.getValue());
                    String checkpoint = run.getValue().split("/")[1];
                    figures.add(Figure.of(run.getKey(), name.replace(".png", "").replace('-', ' ') + " (" + checkpoint + ")", target));
                }
            }
        }
        for (MetricSchema.Entry m : metrics) {
            if (m.value().metric().startsWith("figure_") && !m.value().present() && latest.containsKey(m.run())) {
                figures.add(Figure.absent(m.run(), m.value().metric().substring("figure_".length()).replace('-', ' '), m.value().note()));
            }
        }
        return new Collected(files, figures);
    }
}
