package org.vaespark.jobs.leaderboard;

import java.util.ArrayList;
import java.util.List;

/**
 * The CSV dialect of the leaderboard files (RFC 4180): comma-separated, a field that holds a
 * comma, a double quote, a line break or leading/trailing blanks is quoted, and a quote inside
 * a quoted field is doubled. Records end with {@code \n}; records never span lines here.
 */
final class Csv {
    private Csv() {
    }

    /** One CSV record. A null value is written as an empty field. */
    static String line(List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(field(fields.get(i)));
        }
        return sb.toString();
    }

    static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0 || (!value.isEmpty() && (value.charAt(0) == ' '
                || value.charAt(value.length() - 1) == ' '));
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /**
     * Splits one record into its fields.
     *
     * @throws IllegalArgumentException on an unterminated quoted field or text after a closing quote,
     *                                  naming the 1-based character position
     */
    static List<String> parseLine(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < line.length() && line.charAt(i) == '"') {
                int start = i;
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("quoted field opened at character " + (start + 1)
                                + " is never closed");
                    }
                    char c = line.charAt(i);
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i += 2;
                    } else if (c == '"') {
                        i++;
                        break;
                    } else {
                        cur.append(c);
                        i++;
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("unexpected character '" + line.charAt(i) + "' at character "
                            + (i + 1) + " after a closing quote; quote the whole field and double inner quotes");
                }
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    cur.append(line.charAt(i));
                    i++;
                }
            }
            fields.add(cur.toString());
            cur.setLength(0);
            if (i >= line.length()) {
                return fields;
            }
            i++;
        }
    }
}
