package org.vaespark.jobs.leaderboard;

import org.apache.spark.sql.Row;

/**
 * Reads the columns of a results-table {@link Row} by name: through the row's own schema when
 * it has one (rows of a DataFrame), else by position in {@link ResultSchema#SCHEMA}. Numbers are
 * read through {@link Number}, so an int column written where a long is expected still reads.
 * Missing values of non-nullable columns fail with {@link IllegalArgumentException}; the columns
 * of {@link ResultSchema#ADDED_LATER} may be absent altogether (rows of older tables).
 */
final class RowReader {
    private final Row row;

    RowReader(Row row) {
        this.row = row;
    }

    String string(String column) {
        Object v = value(column);
        return v == null ? null : v.toString();
    }

    /** A column of {@link ResultSchema#ADDED_LATER}: null where the row predates it. */
    String optionalString(String column) {
        boolean absent = row.schema() != null ? !java.util.Arrays.asList(row.schema().fieldNames()).contains(column)
                : ResultSchema.SCHEMA.fieldIndex(column) >= row.length();
        return absent ? null : string(column);
    }

    long longValue(String column) {
        return number(column).longValue();
    }

    double doubleValue(String column) {
        return number(column).doubleValue();
    }

    Double nullableDouble(String column) {
        Object v = value(column);
        return v == null ? null : ((Number) v).doubleValue();
    }

    /** "run X, checkpoint Y" where those can be read, for error messages. */
    String describe() {
        try {
            return "row with run '" + string(ResultSchema.RUN) + "', checkpoint '" + string(ResultSchema.CHECKPOINT) + "'";
        } catch (RuntimeException e) {
            return "row " + row;
        }
    }

    private Number number(String column) {
        Object v = value(column);
        if (v == null) {
            throw new IllegalArgumentException("missing value for " + column + "; it is required");
        }
        return (Number) v;
    }

    private Object value(String column) {
        int i;
        if (row.schema() != null) {
            try {
                i = row.fieldIndex(column);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column " + column + " is missing; expected columns "
                        + ResultSchema.COLUMNS, e);
            }
        } else {
            i = ResultSchema.SCHEMA.fieldIndex(column);
            int oldest = ResultSchema.SCHEMA.size() - ResultSchema.ADDED_LATER.size();
            if (row.length() < oldest || row.length() > ResultSchema.SCHEMA.size()) {
                throw new IllegalArgumentException("row has " + row.length() + " values, expected "
                        + ResultSchema.SCHEMA.size() + " (" + ResultSchema.COLUMNS + "), or " + oldest + " without "
                        + ResultSchema.ADDED_LATER);
            }
        }
        return row.isNullAt(i) ? null : row.get(i);
    }
}
