package org.vaespark.core.errors;

import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Collectors;

/**
 * The one factory for user-facing errors. Each message has three parts: what went wrong,
 * where (file / key / record), and how to fix it. Messages never contain credentials: callers
 * pass paths through {@link #redact(String)} when they may carry a URI user-info part, and the value
 * of a key that names a secret is shown as {@code ***} ({@link Secrets}).
 */
public final class Errors {
    private Errors() {
    }

    private static VaeException build(String what, String where, String fix, Throwable cause) {
        String message = what + " [at " + where + "]" + (fix == null || fix.isEmpty() ? "" : ". Fix: " + fix);
        return new VaeException(message, where, cause);
    }

    /** A configuration key that no module's reference.conf defines. */
    public static VaeException unknownConfigKey(String key, String origin, Collection<String> knownKeys) {
        String near = knownKeys.stream()
                .sorted(Comparator.comparingInt(k -> editDistance(k, key)))
                .limit(3)
                .collect(Collectors.joining(", "));
        return build("unknown configuration key '" + key + "'", origin,
                "remove it or use a known key (closest: " + near + "); every key, its default and meaning: docs/configuration.md", null);
    }

    /** A configuration value of the wrong type or outside its allowed range. */
    public static VaeException badConfigValue(String key, Object value, String allowed) {
        return build("invalid value " + quote(Secrets.mask(key, value)) + " for configuration key '" + key + "'",
                "key " + key, "use " + allowed, null);
    }

    /** A configuration file or override that cannot be parsed. */
    public static VaeException unreadableConfig(String origin, String detail, Throwable cause) {
        return build("cannot read configuration: " + detail, origin,
                "check the HOCON syntax; overrides are key=value, e.g. train.epochs=5", cause);
    }

    /** A required input file or directory that does not exist. */
    public static VaeException missingInput(String path, String expected) {
        return build("input not found: expected " + expected, redact(path),
                "check the path (local, hdfs:// or s3a://) and that the previous job finished", null);
    }

    /** A data file whose content is not what its format requires. */
    public static VaeException corruptFile(String path, String record, String what, String fix) {
        return build(what, redact(path) + (record == null ? "" : ", " + record), fix, null);
    }

    /** Same as {@link #corruptFile(String, String, String, String)} with the low-level cause kept. */
    public static VaeException corruptFile(String path, String record, String what, String fix, Throwable cause) {
        return build(what, redact(path) + (record == null ? "" : ", " + record), fix, cause);
    }

    /** A checkpoint that cannot be loaded into the model its metadata describes. */
    public static VaeException incompatibleCheckpoint(String dir, String what, Object expected, Object found) {
        return build(what + ": expected " + expected + ", found " + found, redact(dir),
                "load it with the version that wrote it, or retrain; do not edit checkpoint files by hand", null);
    }

    /**
     * A checkpoint file that was damaged after it was written: a truncated or garbled array, a
     * {@code metadata.json} that is not valid JSON or lacks a field. {@code file} is the damaged file.
     */
    public static VaeException damagedCheckpoint(String file, String what, Throwable cause) {
        return build("damaged checkpoint: " + what, redact(file),
                "restore this checkpoint directory from a copy, or delete it to use the previous checkpoint "
                        + "(a resumed run passes over it by itself); the file was cut short or overwritten after it was written "
                        + "(an interrupted copy, a full disk)", cause);
    }

    /** A command-line argument that is missing or wrong. */
    public static VaeException badArgument(String argument, String what, String fix) {
        return build(what, "argument " + argument, fix, null);
    }

    /** A job that cannot proceed because of the state of its inputs or outputs. */
    public static VaeException jobFailed(String where, String what, String fix, Throwable cause) {
        return build(what, redact(where), fix, cause);
    }

    /**
     * An example whose label a conditional or semi-supervised model cannot use: missing where the
     * model needs every label (CVAE), or outside 0..classes-1.
     */
    public static VaeException badLabel(long id, int label, int classes, String model) {
        String what = label < 0
                ? "example id " + id + " has no label, but model.kind=" + model + " needs the label of every example"
                : "example id " + id + " has label " + label + ", outside 0.." + (classes - 1);
        return build(what, "dataset row id " + id + ", column label",
                label < 0 ? "use a dataset with a label column for every row, or model.kind=m2 (semi-supervised)"
                        : "set model.labels.classes to the number of classes of the dataset (labels are 0-based)", null);
    }

    /**
     * A computation asked of a model that cannot have it (e.g. a diagnostic defined for diagonal-Gaussian posteriors
     * asked of a flow posterior): {@code what} says which and why, {@code where} names the model or checkpoint.
     */
    public static VaeException unsupportedModel(String where, String what, String fix) {
        return build(what, redact(where), fix, null);
    }

    /** A numerical failure during training or evaluation (NaN, overflow). */
    public static VaeException numericalFailure(String where, String what, String fix) {
        return build(what, where, fix, null);
    }

    /**
     * Replaces the user-info part of every URI in {@code text} (s3a://KEY:SECRET@bucket/...) by
     * {@code ***}, so credentials never reach a message or a log; paths and exception texts alike.
     */
    public static String redact(String text) {
        if (text == null) {
            return "<none>";
        }
        return USER_INFO.matcher(text).replaceAll("$1***@");
    }

    private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]*@");

    private static String quote(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
