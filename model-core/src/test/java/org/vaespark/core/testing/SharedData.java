package org.vaespark.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the reference datasets in {@code ../shared/data} (relative to the project root),
 * whichever module's tests are running. Tests read these files; they never copy or modify them.
 */
public final class SharedData {
    private SharedData() {
    }

    /** The project root: the {@code vaespark.root} system property set by surefire, else found upwards. */
    public static Path projectRoot() {
        String prop = System.getProperty("vaespark.root");
        if (prop != null && Files.isRegularFile(Paths.get(prop, "pom.xml"))) {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        Path p = Paths.get("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("model-core")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("cannot find the project root (no pom.xml with model-core/ above " + Paths.get("").toAbsolutePath() + ")");
    }

    /** {@code <root>/../shared/data}, which must exist. */
    public static Path dir() {
        Path d = projectRoot().resolve("../shared/data").normalize();
        if (!Files.isDirectory(d)) {
            throw new IllegalStateException("reference data not found at " + d + " (see DEVELOPERS.md: ../shared/data)");
        }
        return d;
    }

    public static Path file(String relative) {
        Path f = dir().resolve(relative);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("reference file missing: " + f);
        }
        return f;
    }
}
