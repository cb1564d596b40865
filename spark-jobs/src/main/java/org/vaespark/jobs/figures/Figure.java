package org.vaespark.jobs.figures;

import java.io.Serializable;

/**
 * One picture of {@link Figures}: the file it was written to, or its absence with the reason.
 *
 * @param name   e.g. "samples", "reconstructions", "interpolations", "pseudo-inputs"
 * @param path   the written PNG (under the committed output directory); null when absent
 * @param note   what the picture shows, or why it is absent
 */
public record Figure(String name, String path, String note) implements Serializable {

    public static Figure written(String name, String path, String note) {
        return new Figure(name, path, note);
    }

    public static Figure absent(String name, String reason) {
        return new Figure(name, null, reason);
    }

    public boolean present() {
        return path != null;
    }
}
