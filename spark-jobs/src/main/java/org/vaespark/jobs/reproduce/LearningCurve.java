package org.vaespark.jobs.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.vaespark.core.errors.Errors;

/**
 * A reproduction run's learning curve: the training ELBO averaged per epoch (metrics.jsonl) and, where the protocol
 * validates, the validation ELBO per epoch (validation.jsonl), against epochs, in nats (higher is better). The y-axis
 * spans the later half of the run (where the rows differ by tenths of a nat), not the first epochs' −500.
 *
 * @param trainEpochs epochs of the training ELBO points; {@code trainElbo} their mean training ELBO
 * @param validEpochs epochs of the validations; {@code validElbo} their ELBO
 */
public record LearningCurve(double[] trainEpochs, double[] trainElbo, double[] validEpochs, double[] validElbo) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The curve of {@code run} (a run directory with metrics.jsonl and, where it validated, validation.jsonl). */
    public static LearningCurve read(Path run) {
        TreeMap<Integer, double[]> perEpoch = new TreeMap<>();
        for (JsonNode n : lines(run.resolve("metrics.jsonl"))) {
            if (n.path("epoch").isNumber() && n.path("train_elbo").isNumber() && Double.isFinite(n.get("train_elbo").asDouble())) {
                int epoch = (int) Math.ceil(n.get("epoch").asDouble());
                double[] sum = perEpoch.computeIfAbsent(epoch, e -> new double[2]);
                sum[0] += n.get("train_elbo").asDouble();
                sum[1]++;
            }
        }
        double[] te = perEpoch.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
        double[] tv = perEpoch.values().stream().mapToDouble(s -> s[0] / s[1]).toArray();
        List<double[]> valid = new ArrayList<>();
        Path v = run.resolve("validation.jsonl");
        if (Files.isRegularFile(v)) {
            for (JsonNode n : lines(v)) {
                if (n.path("epoch").isNumber() && n.path("valid_elbo").isNumber()) {
                    valid.add(new double[]{n.get("epoch").asDouble(), n.get("valid_elbo").asDouble()});
                }
            }
        }
        return new LearningCurve(te, tv, valid.stream().mapToDouble(p -> p[0]).toArray(), valid.stream().mapToDouble(p -> p[1]).toArray());
    }

    /** The y range drawn: the 2nd to 100th percentile of the later half of both curves, with 10% margins. */
    public double[] yRange() {
        List<Double> later = new ArrayList<>();
        addLaterHalf(trainElbo, later);
        addLaterHalf(validElbo, later);
        if (later.isEmpty()) {
            return new double[]{-1, 0};
        }
        double[] sorted = later.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double lo = sorted[(int) Math.floor(0.02 * (sorted.length - 1))];
        double hi = sorted[sorted.length - 1];
        double margin = Math.max(0.1 * (hi - lo), 0.5);
        return new double[]{lo - margin, hi + margin};
    }

    private static void addLaterHalf(double[] values, List<Double> out) {
        for (int i = values.length / 2; i < values.length; i++) {
            out.add(values[i]);
        }
    }

    /** The PNG: epochs on x, nats on y, titled with the row. */
    public byte[] png(String title) {
        XYChart chart = new XYChartBuilder().width(800).height(450).title(title).xAxisTitle("epoch").yAxisTitle("ELBO (nats)").build();
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        double[] y = yRange();
        chart.getStyler().setYAxisMin(y[0]);
        chart.getStyler().setYAxisMax(y[1]);
        if (trainEpochs.length > 0) {
            chart.addSeries("train ELBO (mean per epoch)", trainEpochs, trainElbo).setMarker(SeriesMarkers.NONE);
        }
        if (validEpochs.length > 0) {
            XYSeries s = chart.addSeries("validation ELBO", validEpochs, validElbo);
            s.setMarker(SeriesMarkers.NONE);
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw Errors.jobFailed(title, "cannot draw the learning curve: " + e.getMessage(), "report this as a bug", e);
        }
    }

    private static List<JsonNode> lines(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        try {
            int no = 0;
            for (String line : Files.readAllLines(file)) {
                no++;
                if (!line.isBlank()) {
                    try {
                        out.add(JSON.readTree(line));
                    } catch (IOException e) {
                        throw Errors.corruptFile(file.toString(), "line " + no, "it is not JSON (" + e.getMessage() + ")",
                                "the training job appends one JSON object per line; remove the damaged line");
                    }
                }
            }
        } catch (IOException e) {
            throw Errors.missingInput(file.toString(), "a readable run log");
        }
        return out;
    }

    @Override
    public String toString() {
        return "LearningCurve[" + trainEpochs.length + " epochs, " + validEpochs.length + " validations, y "
                + Arrays.toString(yRange()) + "]";
    }
}
