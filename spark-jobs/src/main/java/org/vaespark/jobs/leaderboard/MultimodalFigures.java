package org.vaespark.jobs.leaderboard;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.vaespark.jobs.eval.MetricValue;
import org.vaespark.jobs.eval.MultimodalReport;

/**
 * An MVAE checkpoint's figures of the {@code multimodal} diagnostic (Wu &amp; Goodman 2018) on the leaderboard: IWAE-k of
 * each modality alone, and the cross-modal figure, the image → label accuracy or the bottom-from-top squared error.
 * The joint IWAE-k is the row's own NLL (the evaluation's IWAE feeds both modalities).
 *
 * @param metrics the checkpoint's {@code mvae_*} metrics on the split, by name
 */
public record MultimodalFigures(Map<String, MetricValue> metrics) implements Serializable {
    /** The CSV columns, in order. */
    public static final java.util.List<String> CSV = java.util.List.of("mvae_iwae_modality_0", "mvae_iwae_modality_1",
            "mvae_label_accuracy", "mvae_bottom_mse", "mvae_note");

    public MultimodalFigures {
        metrics = new TreeMap<>(metrics);
    }

    /** The per-modality IWAE metrics, in the order the evaluation wrote the modalities (the joint excluded). */
    private MetricValue[] modalities() {
        MetricValue[] out = new MetricValue[2];
        int i = 0;
        for (Map.Entry<String, MetricValue> m : metrics.entrySet()) {
            if (m.getKey().startsWith(MultimodalReport.IWAE_PREFIX) && !m.getKey().equals(MultimodalReport.IWAE_JOINT) && i < 2) {
                out[i++] = m.getValue();
            }
        }
        return out;
    }

    private static String modality(MetricValue m) {
        return m.metric().substring(MultimodalReport.IWAE_PREFIX.length());
    }

    /** One line for people, e.g. "IWAE image −159.69, label −6.95; image→label accuracy 0.700 ± 0.046"; null when absent. */
    public String text() {
        MetricValue joint = metrics.get(MultimodalReport.IWAE_JOINT);
        if (joint != null && !joint.present()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("IWAE");
        String sep = " ";
        for (MetricValue m : modalities()) {
            if (m != null && m.present()) {
                sb.append(sep).append(modality(m)).append(' ').append(String.format(Locale.ROOT, "%.2f", m.mean()));
                sep = ", ";
            }
        }
        MetricValue accuracy = metrics.get(MultimodalReport.LABEL_ACCURACY);
        MetricValue mse = metrics.get(MultimodalReport.BOTTOM_MSE);
        if (accuracy != null && accuracy.present()) {
            sb.append("; image→label accuracy ").append(withError(accuracy, "%.3f"));
        }
        if (mse != null && mse.present()) {
            sb.append("; bottom-from-top MSE ").append(withError(mse, "%.4f"));
        }
        return sb.toString();
    }

    /** Why there are no figures (the diagnostic's reason), or null when there are. */
    public String absentReason() {
        MetricValue joint = metrics.get(MultimodalReport.IWAE_JOINT);
        return joint != null && !joint.present() ? joint.note() : null;
    }

    /** The values of {@link #CSV}, null where absent. */
    public java.util.List<String> csv() {
        MetricValue[] m = modalities();
        MetricValue accuracy = metrics.get(MultimodalReport.LABEL_ACCURACY);
        MetricValue mse = metrics.get(MultimodalReport.BOTTOM_MSE);
        String note = absentReason() != null ? absentReason()
                : m[0] == null || m[1] == null ? null : "modality 0 = " + modality(m[0]) + ", modality 1 = " + modality(m[1]);
        return java.util.Arrays.asList(value(m[0]), value(m[1]), value(accuracy), value(mse), note);
    }

    /** The mean of the accuracy or of the bottom MSE, for sorting; NaN when neither. */
    public double sortKey() {
        MetricValue accuracy = metrics.get(MultimodalReport.LABEL_ACCURACY);
        MetricValue mse = metrics.get(MultimodalReport.BOTTOM_MSE);
        return accuracy != null && accuracy.present() ? accuracy.mean() : mse != null && mse.present() ? mse.mean() : Double.NaN;
    }

    private static String value(MetricValue m) {
        return m == null || !m.present() ? null : Double.toString(m.mean());
    }

    private static String withError(MetricValue m, String format) {
        return String.format(Locale.ROOT, format, m.mean())
                + (m.stderr() == null ? "" : " ± " + String.format(Locale.ROOT, format, m.stderr()));
    }
}
