package org.vaespark.jobs.leaderboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The training curves of one run as a PNG of panels stacked over a shared x: the per-round training
 * ELBO with the run's evaluations from the results table (IWAE-k of Burda et al. 2016, ELBO) as
 * points at their checkpoint; below it, each term of the ELBO on its own axis, reconstruction
 * E_q[log p(x|z)] and KL (Kingma &amp; Welling 2014, eq. 10). x is epochs ({@code epoch} of
 * metrics.jsonl; a log written before that field falls back to examples seen). Each panel's y-axis
 * spans the later half of training ({@link #zoom}), where runs differ by tenths of a nat, not the
 * first epoch's −450. Lines of more than
 * {@link #MAX_POINTS} rounds are averaged over equal slices of x. All in nats as log-likelihoods
 * (higher is better; NLL = −value). Below those, when the run logged them at its checkpoints, the KL per
 * latent dimension (a line per dimension) and the active units (Burda et al. 2016): posterior collapse
 * shows as lines falling to 0. Drawn with XChart, headless.
 */
public final class TrainingCurves {
    /** metrics.jsonl keys drawn as lines, with their legend labels. */
    static final Map<String, String> TRAIN_SERIES = new LinkedHashMap<>();
    /** Points per training line at most (a 300-epoch run has ~40,000 rounds). */
    static final int MAX_POINTS = 400;
    static final int WIDTH = 900;
    /** Height of the ELBO panel (with the title); each term's panel is {@link #TERM_HEIGHT}. */
    static final int TOP_HEIGHT = 440;
    static final int TERM_HEIGHT = 230;

    /** The panel a series is drawn on, top to bottom. */
    public enum Panel {
        BOUND("nats (log-likelihood; NLL = −value)"),
        RECONSTRUCTION("E[log p(x|z)], nats"),
        KL("KL(q(z|x) || p(z)), nats"),
        /** Per checkpoint, on a fixed set of training examples ({@code train.latent-examples}). */
        LATENT_KL("KL per latent dim, nats"),
        ACTIVE_UNITS("active units");

        final String axis;

        Panel(String axis) {
            this.axis = axis;
        }
    }

    private static final Map<String, Panel> PANELS = Map.of("train_elbo", Panel.BOUND, "train_reconstruction",
            Panel.RECONSTRUCTION, "train_kl", Panel.KL);

    static {
        TRAIN_SERIES.put("train_elbo", "train ELBO");
        TRAIN_SERIES.put("train_reconstruction", "train reconstruction E[log p(x|z)]");
        TRAIN_SERIES.put("train_kl", "train KL");
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** metrics.jsonl key prefixes of the checkpoints' latent figures (CheckpointLatents). */
    static final String ACTIVE_UNITS = "active_units";
    static final String LATENT_KL = "latent_kl_per_dim";
    /** A panel with more lines than this has no legend (below the plot, more would squeeze it: a line per latent dimension). */
    static final int MAX_LEGEND = 4;

    /** One curve: x in the unit of its {@link Curves}, y = nats, on {@code panel}. */
    public record Series(String label, double[] x, double[] y, boolean points, Panel panel) {
    }

    /** The curves of a run and the unit of x ("epoch", or "training examples seen" for logs without epochs). */
    public record Curves(String xTitle, List<Series> series) {
        public boolean isEmpty() {
            return series.isEmpty();
        }
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
    public static Curves series(String source, List<String> metricsLines, List<ResultRow> results) {
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        List<JsonNode> nodes = new ArrayList<>();
        int lineNo = 0;
        double examplesPerEpoch = Double.NaN;
        boolean epochs = true;
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
            nodes.add(node);
            if (!node.path("epoch").isNumber()) {
                epochs = false;
            } else if (node.get("epoch").asDouble() > 0 && Double.isNaN(examplesPerEpoch)) {
                examplesPerEpoch = node.get("examples_seen").asDouble() / node.get("epoch").asDouble();
            }
        }
        epochs &= !Double.isNaN(examplesPerEpoch);
        for (JsonNode node : nodes) {
            double x = epochs ? node.get("epoch").asDouble() : node.get("examples_seen").asDouble();
            for (String key : TRAIN_SERIES.keySet()) {
                JsonNode v = node.get(key);
                if (v != null && v.isNumber() && Double.isFinite(v.asDouble())) {
                    curves.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[]{x, v.asDouble()});
                }
            }
        }
        List<Series> out = new ArrayList<>();
        for (Map.Entry<String, List<double[]>> c : curves.entrySet()) {
            out.add(series(TRAIN_SERIES.get(c.getKey()), binned(c.getValue()), false, PANELS.get(c.getKey())));
        }
        out.addAll(latentSeries(nodes, epochs));
        Map<String, List<double[]>> evaluations = new LinkedHashMap<>();
        for (ResultRow r : LeaderboardTables.latestOnly(results)) {
            double x = epochs ? r.examplesSeen() / examplesPerEpoch : r.examplesSeen();
            evaluations.computeIfAbsent(r.split() + " " + r.estimatorLabel(), k -> new ArrayList<>()).add(new double[]{x, r.mean()});
        }
        for (Map.Entry<String, List<double[]>> e : evaluations.entrySet()) {
            List<double[]> pts = new ArrayList<>(e.getValue());
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            out.add(series(e.getKey(), pts, true, Panel.BOUND));
        }
        return new Curves(epochs ? "epoch" : "training examples seen", out);
    }

    /**
     * The checkpoints' posterior-collapse figures: a line per {@code active_units*} key and one per
     * dimension of each {@code latent_kl_per_dim*} array (the layer, if any, is the key's suffix).
     */
    static List<Series> latentSeries(List<JsonNode> nodes, boolean epochs) {
        Map<String, List<double[]>> active = new LinkedHashMap<>();
        Map<String, List<double[]>> kl = new LinkedHashMap<>();
        for (JsonNode node : nodes) {
            double x = epochs ? node.get("epoch").asDouble() : node.get("examples_seen").asDouble();
            node.fields().forEachRemaining(f -> {
                String key = f.getKey();
                if (key.startsWith(ACTIVE_UNITS) && f.getValue().isNumber()) {
                    active.computeIfAbsent("active units" + key.substring(ACTIVE_UNITS.length()).replace('_', ' '),
                            k -> new ArrayList<>()).add(new double[]{x, f.getValue().asDouble()});
                } else if (key.startsWith(LATENT_KL) && f.getValue().isArray()) {
                    String layer = key.length() > LATENT_KL.length() ? key.substring(LATENT_KL.length() + 1) : "z";
                    for (int j = 0; j < f.getValue().size(); j++) {
                        JsonNode v = f.getValue().get(j);
                        if (v.isNumber() && Double.isFinite(v.asDouble())) {
                            kl.computeIfAbsent(layer + "_" + j, k -> new ArrayList<>()).add(new double[]{x, v.asDouble()});
                        }
                    }
                }
            });
        }
        List<Series> out = new ArrayList<>();
        kl.forEach((label, pts) -> out.add(series(label, binned(pts), false, Panel.LATENT_KL)));
        active.forEach((label, pts) -> out.add(series(label, binned(pts), false, Panel.ACTIVE_UNITS)));
        return out;
    }

    /**
     * The y range of a panel: from the 2nd percentile of its lines' values over the later half of x (every value when
     * that half holds fewer than two), or lower to take in every evaluation point of that half, to the maximum, with 10%
     * margins (at least half a nat).
     */
    static double[] zoom(List<Series> series) {
        double xMax = series.stream().flatMapToDouble(s -> Arrays.stream(s.x())).max().orElse(0);
        double xMin = series.stream().flatMapToDouble(s -> Arrays.stream(s.x())).min().orElse(0);
        List<Double> later = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                all.add(s.y()[i]);
                if (s.x()[i] >= xMin + (xMax - xMin) / 2) {
                    later.add(s.y()[i]);
                }
            }
        }
        double[] v = (later.size() >= 2 ? later : all).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double lo = v[(int) Math.floor(0.02 * (v.length - 1))];
        double hi = v[v.length - 1];
        for (Series s : series) {
            for (int i = 0; i < s.x().length && s.points(); i++) {
                if (s.x()[i] >= xMin + (xMax - xMin) / 2 || later.size() < 2) {
                    lo = Math.min(lo, s.y()[i]);
                }
            }
        }
        double margin = Math.max(0.1 * (hi - lo), 0.5);
        return new double[]{lo - margin, hi + margin};
    }

    /** Every value of the panel, from 0 (KL and unit counts are not negative; collapse is the approach to 0), with a 10% margin. */
    static double[] full(List<Series> series) {
        double hi = series.stream().flatMapToDouble(s -> Arrays.stream(s.y())).max().orElse(1);
        return new double[]{0, Math.max(hi * 1.1, 1)};
    }

    /** The chart as PNG bytes: a panel per {@link Panel} that has a series, top to bottom. */
    public static byte[] png(String run, Curves curves) {
        if (curves.isEmpty()) {
            throw new IllegalArgumentException("no series to draw for run " + run);
        }
        System.setProperty("java.awt.headless", "true");
        List<BufferedImage> panels = new ArrayList<>();
        for (Panel panel : Panel.values()) {
            List<Series> of = curves.series().stream().filter(s -> s.panel() == panel).toList();
            if (of.isEmpty()) {
                continue;
            }
            String title = panels.isEmpty() ? "Run " + run + ": training curves (y: later half of training)" : null;
            XYChart chart = chart(title, curves.xTitle(), panel.axis, panels.isEmpty() ? TOP_HEIGHT : TERM_HEIGHT, of);
            double[] y = panel == Panel.LATENT_KL || panel == Panel.ACTIVE_UNITS ? full(of) : zoom(of);
            chart.getStyler().setYAxisMin(y[0]);
            chart.getStyler().setYAxisMax(y[1]);
            panels.add(BitmapEncoder.getBufferedImage(chart));
        }
        int height = panels.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        int y0 = 0;
        for (BufferedImage p : panels) {
            g.drawImage(p, 0, y0, null);
            y0 += p.getHeight();
        }
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the training curves of run " + run + " as PNG", e);
        }
    }

    private static XYChart chart(String title, String xTitle, String yTitle, int height, List<Series> series) {
        XYChartBuilder b = new XYChartBuilder().width(WIDTH).height(height).xAxisTitle(xTitle).yAxisTitle(yTitle);
        if (title != null) {
            b.title(title);
        }
        XYChart chart = b.build();
        // below the plot, where it hides no point; a term's panel has one line, named by its axis
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendVisible(series.size() > 1 && series.size() <= MAX_LEGEND);
        chart.getStyler().setMarkerSize(8);
        chart.getStyler().setXAxisDecimalPattern(xTitle.equals("epoch") ? "#,##0.##" : "#,##0");
        chart.getStyler().setXAxisMin(0.0);   // ticks at round epochs from 0, not from the first round's 0.04
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        chart.getStyler().setChartTitleVisible(title != null);
        for (Series s : series) {
            XYSeries xy = chart.addSeries(s.label(), s.x(), s.y());
            if (s.points()) {
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            } else {
                xy.setMarker(SeriesMarkers.NONE);
            }
        }
        return chart;
    }

    /** At most {@link #MAX_POINTS} points: the means of x and y over equal slices of x when there are more. */
    static List<double[]> binned(List<double[]> points) {
        if (points.size() <= MAX_POINTS) {
            return points;
        }
        double lo = points.get(0)[0];
        double hi = points.get(points.size() - 1)[0];
        double width = (hi - lo) / MAX_POINTS;
        double[][] sums = new double[MAX_POINTS][3];
        for (double[] p : points) {
            int bin = width > 0 ? (int) Math.min(MAX_POINTS - 1, Math.floor((p[0] - lo) / width)) : 0;
            sums[bin][0] += p[0];
            sums[bin][1] += p[1];
            sums[bin][2]++;
        }
        List<double[]> out = new ArrayList<>();
        for (double[] s : sums) {
            if (s[2] > 0) {
                out.add(new double[]{s[0] / s[2], s[1] / s[2]});
            }
        }
        return out;
    }

    private static Series series(String label, List<double[]> points, boolean scatter, Panel panel) {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new Series(label, x, y, scatter, panel);
    }
}
