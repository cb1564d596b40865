package org.vaespark.core.errors;

import java.util.Locale;

/**
 * Which configuration keys hold secrets, and their masked form. A key whose name mentions a secret,
 * password, token, credential or access key (in any spelling: {@code access.key}, {@code access-key},
 * {@code accessKey}) never has its value repeated in a message, a log line or a written file, whether
 * the key is known or not.
 */
public final class Secrets {
    /** What a secret value is replaced by. */
    public static final String MASK = "***";

    private static final String[] MARKERS = {"secret", "password", "passwd", "token", "credential", "accesskey"};

    private Secrets() {
    }

    /** True when {@code key} names a secret, e.g. {@code spark.hadoop.fs.s3a.secret.key} or {@code db.password}. */
    public static boolean isSecretKey(String key) {
        if (key == null) {
            return false;
        }
        String flat = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        for (String marker : MARKERS) {
            if (flat.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /** {@code value}, or {@link #MASK} when {@code key} names a secret. */
    public static Object mask(String key, Object value) {
        return isSecretKey(key) ? MASK : value;
    }

    /**
     * {@code text} with the value of every {@code key=value} pair whose key names a
     * secret replaced by {@link #MASK}: for texts written by others (a command-line parser's message).
     */
    public static String maskText(String text) {
        if (text == null) {
            return null;
        }
        java.util.regex.Matcher m = PAIR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = isSecretKey(m.group(1)) ? m.group(1) + m.group(2) + MASK : m.group();
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static final java.util.regex.Pattern PAIR = java.util.regex.Pattern.compile("([A-Za-z0-9_.\\-]+)(\\s*=\\s*)([^\\s'\",]+)");

    /** A {@code key=value} argument as it may be shown: {@code key=***} when the key names a secret. */
    public static String maskArgument(String argument) {
        int eq = argument.indexOf('=');
        if (eq <= 0) {
            return argument;
        }
        String key = argument.substring(0, eq).trim();
        return isSecretKey(key) ? key + "=" + MASK : argument;
    }
}
