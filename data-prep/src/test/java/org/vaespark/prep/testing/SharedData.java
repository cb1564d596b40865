package org.vaespark.prep.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the reference datasets in {@code ../shared/data} (relative to the project root) for data-prep's
 * tests, which do not see model-core's test helpers. Tests read these files; they never copy or modify them.
 */
public final class SharedData {
    private SharedData() {
    }

    /** The project root: the {@code vaespark.root} system property set by surefire, else found upwards. */
    static Path projectRoot() {
        String prop = System.getProperty("vaespark.root");
        if (prop != null && Files.isRegularFile(Paths.get(prop, "pom.xml"))) {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("data-prep")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the project root (no pom.xml with data-prep/ above "
                + Paths.get("").toAbsolutePath() + "); run the tests through Maven, which sets vaespark.root");
    }

    /** {@code <root>/../shared/data}, which must exist. */
    public static Path dir() {
        Path d = projectRoot().resolve("../shared/data").normalize();
        if (!Files.isDirectory(d)) {
            throw new IllegalStateException("reference data not found at " + d + " (place the shared datasets beside the project root)");
        }
        return d;
    }

    /** A file under {@link #dir()}, which must exist. */
    public static Path file(String relative) {
        Path f = dir().resolve(relative);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("reference file missing: " + f);
        }
        return f;
    }
}
