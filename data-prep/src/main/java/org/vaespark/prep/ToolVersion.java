package org.vaespark.prep;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The vae-spark version recorded in every manifest, read from {@code vaespark-version.properties},
 * which Maven fills in from the project version at build time.
 */
public final class ToolVersion {
    static final String RESOURCE = "/vaespark-version.properties";
    /** What {@link #get()} returns when the classes were not built by Maven (the resource is missing or unfiltered). */
    public static final String UNKNOWN = "unknown";

    private static final String VERSION = load();

    private ToolVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = ToolVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").trim();
            return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
