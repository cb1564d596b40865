package org.vaespark.prep.storage;

import org.vaespark.core.errors.Errors;

/**
 * Keeps credentials out of logged stack traces: exception texts from Hadoop or the AWS SDK may quote
 * a URI with credentials, so a cause whose message carried one is rebuilt with {@link Errors#redact}ed
 * messages and the original stack traces.
 */
public final class Redact {
    private Redact() {
    }

    /**
     * {@code t} itself when no message in its chain quotes credentials, else a copy of the chain
     * with redacted messages and the original stack traces, so logged stack traces stay clean.
     */
    public static Throwable cause(Throwable t) {
        if (t == null || !leaks(t)) {
            return t;
        }
        Throwable copy = new RedactedException(t.getClass().getName() + ": " + Errors.redact(t.getMessage()), cause(t.getCause()));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    private static boolean leaks(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.equals(Errors.redact(m))) {
                return true;
            }
        }
        return false;
    }

    /** Stands in for an exception whose message quoted a secret. */
    static final class RedactedException extends Exception {
        private static final long serialVersionUID = 1L;

        RedactedException(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
