package org.vaespark.core.errors;

/**
 * A user-facing failure: bad configuration, a missing or corrupt input, an incompatible
 * checkpoint. Always built by {@link Errors}, so every message says what went wrong, where
 * (file, key, record) and how to fix it.
 */
public final class VaeException extends RuntimeException {
    private final String where;

    VaeException(String message, String where, Throwable cause) {
        super(message, cause);
        this.where = where;
    }

    /** The file, key or record the failure is about (never null). */
    public String where() {
        return where;
    }
}
