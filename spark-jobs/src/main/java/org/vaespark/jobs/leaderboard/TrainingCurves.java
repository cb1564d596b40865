package org.vaespark.jobs.leaderboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The training curves of one run as a PNG: the per-round training ELBO and its two terms,
 * reconstruction E_q[log p(x|z)] and KL (Kingma &amp; Welling 2014, eq. 10), from the run's
 * metrics.jsonl, against training examples seen; on the same axis, the run's evaluations from the
 * results table (IWAE-k of Burda et al. 2016, ELBO) as points at their checkpoint's examples seen.
 * All in nats as log-likelihoods (higher is better; NLL = −value). Drawn with XChart, headless.
 */
public final class TrainingCurves {
    /** metrics.jsonl keys drawn as lines, with their legend labels. */
    static final Map<String, String> TRAIN_SERIES = new LinkedHashMap<>();

    static {
        TRAIN_SERIES.put("train_elbo", "train ELBO");
        TRAIN_SERIES.put("train_reconstruction", "train reconstruction E[log p(x|z)]");
        TRAIN_SERIES.put("train_kl", "train KL");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One curve: x = training examples seen, y = nats. */
    public record Series(String label, double[] x, double[] y, boolean points) {
    }

    private TrainingCurves() {
    }

    /**
     * The series of one run: a line per {@link #TRAIN_SERIES} key present in {@code metricsLines}
     * (a round without the key contributes no point; a key in no round gives no line), and a set
     * of points per (split, estimator) of {@code results} rows of the run (their {@code mean}).
     *
     * @param source where the lines come from, for error messages
     * @throws IllegalArgumentException on a line that is not a JSON object with a numeric examples_seen
     */
    public static List<Series> series(String source, List<String> metricsLines, List<ResultRow> results) {
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : metricsLines) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException(source + " line " + lineNo + " is not JSON: " + e.getMessage(), e);
            }
            if (node == null || !node.isObject() || !node.path("examples_seen").isNumber()) {
                throw new IllegalArgumentException(source + " line " + lineNo + " has no numeric examples_seen");
            }
            double x = node.get("examples_seen").asDouble();
            for (String key : TRAIN_SERIES.keySet()) {
                JsonNode v = node.get(key);
                if (v != null && v.isNumber() && Double.isFinite(v.asDouble())) {
                    curves.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[]{x, v.asDouble()});
                }
            }
        }
        List<Series> out = new ArrayList<>();
        for (Map.Entry<String, List<double[]>> c : curves.entrySet()) {
            out.add(series(TRAIN_SERIES.get(c.getKey()), c.getValue(), false));
        }
        Map<String, List<double[]>> evaluations = new LinkedHashMap<>();
        for (ResultRow r : LeaderboardTables.latestOnly(results)) {
            evaluations.computeIfAbsent(r.split() + " " + r.estimatorLabel(), k -> new ArrayList<>())
                    .add(new double[]{r.examplesSeen(), r.mean()});
        }
        for (Map.Entry<String, List<double[]>> e : evaluations.entrySet()) {
            List<double[]> pts = new ArrayList<>(e.getValue());
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            out.add(series(e.getKey(), pts, true));
        }
        return out;
    }

    /** The chart as PNG bytes; {@code series} must not be empty. */
    public static byte[] png(String run, List<Series> series) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no series to draw for run " + run);
        }
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(520).title("Run " + run + ": training curves")
                .xAxisTitle("training examples seen").yAxisTitle("nats (log-likelihood; NLL = −value)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(8);
        for (Series s : series) {
            XYSeries xy = chart.addSeries(s.label(), s.x(), s.y());
            if (s.points()) {
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            } else {
                xy.setMarker(SeriesMarkers.NONE);
            }
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the training curves of run " + run + " as PNG", e);
        }
    }

    private static Series series(String label, List<double[]> points, boolean scatter) {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new Series(label, x, y, scatter);
    }
}
