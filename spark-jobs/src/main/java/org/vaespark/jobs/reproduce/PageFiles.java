package org.vaespark.jobs.reproduce;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.vaespark.core.errors.Errors;

/** Writes the results page's files atomically (temporary file, then rename), and its excerpt into the README. */
public final class PageFiles {
    /** The README lines between which the generated excerpt stands. */
    public static final String BEGIN = "<!-- results:begin -->";
    public static final String END = "<!-- results:end -->";

    private PageFiles() {
    }

    /** Replaces {@code file} with {@code text} by renaming a finished temporary file over it. */
    public static void write(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces {@code file} with {@code bytes} by renaming a finished temporary file over it. */
    public static void write(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw Errors.jobFailed(file.toString(), "cannot write it: " + e.getMessage(), "check the directory's permissions", e);
        }
    }

    /** {@code readme}'s text with the lines between {@link #BEGIN} and {@link #END} replaced by {@code excerpt}. */
    public static String withExcerpt(Path readme, String text, String excerpt) {
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < b) {
            throw Errors.corruptFile(readme.toString(), "the results section", "it has no '" + BEGIN + "' line followed by an '"
                    + END + "' line", "put both lines where the generated results table belongs, or set results-page.readme = null");
        }
        return text.substring(0, b + BEGIN.length()) + "\n" + excerpt + text.substring(e);
    }
}
