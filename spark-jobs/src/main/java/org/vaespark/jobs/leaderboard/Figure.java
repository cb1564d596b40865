package org.vaespark.jobs.leaderboard;

/**
 * A picture the leaderboard page shows for one run: a PNG beside index.html, linked by a
 * relative path, or its absence with the reason (e.g. a run without metrics.jsonl), never a
 * placeholder image.
 *
 * @param run     the run it belongs to (the results table's {@code run})
 * @param caption what it shows
 * @param path    path relative to index.html (e.g. "curves/vamp.png"), or null when absent
 * @param absent  why there is no picture, or null when {@code path} is set
 */
public record Figure(String run, String caption, String path, String absent) {

    public Figure {
        if (run == null || run.isBlank() || caption == null || caption.isBlank()) {
            throw new IllegalArgumentException("a figure needs a run and a caption");
        }
        if ((path == null) == (absent == null)) {
            throw new IllegalArgumentException("a figure has either a path or the reason it is absent: " + caption);
        }
        if (path != null && (path.isBlank() || path.startsWith("/") || path.contains(":") || path.contains("\\")
                || path.startsWith("..") || path.contains("/../"))) {
            throw new IllegalArgumentException("figure path '" + path
                    + "' must be relative to the leaderboard directory (e.g. curves/run.png), without a scheme or '..'");
        }
    }

    /** A picture at {@code path}, relative to the page. */
    public static Figure of(String run, String caption, String path) {
        return new Figure(run, caption, path, null);
    }

    /** A picture that could not be drawn, and why. */
    public static Figure absent(String run, String caption, String reason) {
        return new Figure(run, caption, null, reason);
    }

    /** A file-name stem for the run: letters, digits, '.', '_' and '-' kept, everything else '-'. */
    public static String fileStem(String run) {
        String s = run.replaceAll("[^A-Za-z0-9._-]", "-");
        return s.startsWith(".") ? "-" + s.substring(1) : s;
    }
}
