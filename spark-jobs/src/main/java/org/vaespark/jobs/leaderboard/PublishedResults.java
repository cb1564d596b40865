package org.vaespark.jobs.leaderboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vaespark.core.errors.Errors;

/**
 * Reads and validates the published reference numbers ({@link PublishedResult}) from CSV with
 * the header {@link #HEADER}. Every failure names the file and the line: a wrong header, a
 * wrong number of fields, a value that does not parse or is not allowed, a duplicate row.
 */
public final class PublishedResults {
    /** The bundled transcription of docs/math.md's "Published reference numbers". */
    public static final String RESOURCE = "/leaderboard/published.csv";
    public static final List<String> HEADER = List.of("model", "dataset", "binarization", "dataset_version",
            "estimator", "estimator_k", "bound", "value", "unit", "source");

    private static final String FIX = "edit the row so that it matches the header " + String.join(",", HEADER)
            + " (empty field = not stated; quote fields that contain commas) and transcribe docs/math.md"
            + " (Published reference numbers) exactly";

    private PublishedResults() {
    }

    /** The bundled list, in file order. */
    public static List<PublishedResult> loadDefault() {
        InputStream in = PublishedResults.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw Errors.missingInput("classpath:" + RESOURCE, "the published reference numbers bundled in spark-jobs");
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return parse(r, "classpath:" + RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A list kept outside the jar, e.g. an updated transcription. */
    public static List<PublishedResult> load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw Errors.missingInput(file.toString(), "a CSV of published reference numbers");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        } catch (IOException e) {
            throw Errors.corruptFile(file.toString(), null, "cannot read the published reference numbers", FIX, e);
        }
    }

    /** Parses CSV text; {@code origin} names it in error messages. */
    public static List<PublishedResult> parse(String csv, String origin) {
        try {
            return parse(new StringReader(csv), origin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<PublishedResult> parse(Reader reader, String origin) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        String header = in.readLine();
        if (header == null) {
            throw Errors.corruptFile(origin, "line 1", "the file is empty", FIX);
        }
        header = header.replace("\uFEFF", "");
        if (!parseFields(header, origin, 1).equals(HEADER)) {
            throw Errors.corruptFile(origin, "line 1", "unexpected header '" + header + "'", FIX);
        }
        List<PublishedResult> rows = new ArrayList<>();
        Map<List<Object>, Integer> seen = new HashMap<>();
        int lineNo = 1;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            PublishedResult row = parseRow(line, origin, lineNo);
            List<Object> key = List.of(row.model(), row.benchmark(), String.valueOf(row.estimatorLabel()));
            Integer first = seen.putIfAbsent(key, lineNo);
            if (first != null) {
                throw Errors.corruptFile(origin, "line " + lineNo, "duplicate row: same model, dataset and estimator as line "
                        + first, "keep one row per (model, dataset, estimator)");
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw Errors.corruptFile(origin, "line " + lineNo, "the file has a header but no rows", FIX);
        }
        return List.copyOf(rows);
    }

    private static PublishedResult parseRow(String line, String origin, int lineNo) {
        List<String> f = parseFields(line, origin, lineNo);
        if (f.size() != HEADER.size()) {
            throw Errors.corruptFile(origin, "line " + lineNo, "expected " + HEADER.size() + " fields, found "
                    + f.size(), FIX);
        }
        try {
            return new PublishedResult(f.get(0).trim(), f.get(1).trim(), blankToNull(f.get(2)), blankToNull(f.get(3)),
                    blankToNull(f.get(4)), parseK(f.get(5)), blankToNull(f.get(6)), parseValue(f.get(7)),
                    f.get(8).trim(), f.get(9).trim());
        } catch (IllegalArgumentException e) {
            throw Errors.corruptFile(origin, "line " + lineNo, "invalid row: " + e.getMessage(), FIX, e);
        }
    }

    private static List<String> parseFields(String line, String origin, int lineNo) {
        try {
            return Csv.parseLine(line);
        } catch (IllegalArgumentException e) {
            throw Errors.corruptFile(origin, "line " + lineNo, "malformed CSV: " + e.getMessage(), FIX, e);
        }
    }

    private static Integer parseK(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("estimator_k '" + t + "' is not an integer", e);
        }
    }

    private static BigDecimal parseValue(String text) {
        String t = text.trim();
        if (!t.matches("[0-9]+(\\.[0-9]+)?")) {
            throw new IllegalArgumentException("value '" + t + "' is not a plain decimal number such as 85.57"
                    + " (write ≤ as bound=upper, not in the value)");
        }
        return new BigDecimal(t);
    }

    private static String blankToNull(String text) {
        String t = text.trim();
        return t.isEmpty() ? null : t;
    }
}
