package org.vaespark.core.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The versions recorded in checkpoints and manifests: this project, ND4J, Java. */
public final class Versions {
    private Versions() {
    }

    public static Map<String, String> all() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/org/vaespark/core/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read version.properties", e);
        }
        Map<String, String> v = new LinkedHashMap<>();
        v.put("vae-spark", p.getProperty("project.version", "unknown"));
        v.put("nd4j", p.getProperty("nd4j.version", "unknown"));
        v.put("java", System.getProperty("java.version"));
        return v;
    }

    public static String project() {
        return all().get("vae-spark");
    }
}
