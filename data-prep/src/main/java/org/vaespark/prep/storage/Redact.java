package org.vaespark.prep.storage;

import java.util.regex.Pattern;
import org.vaespark.core.errors.Errors;

/**
 * Keeps credentials out of messages and logs. {@link Errors#redact} handles a path that starts with
 * a URI; exception texts from Hadoop or the AWS SDK may quote a URI anywhere, so this removes every
 * {@code scheme://user:secret@} part in a text and rebuilds a cause whose message carried one.
 */
public final class Redact {
    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]*@");

    private Redact() {
    }

    /** {@code path} or any text with the user-info part of every URI replaced by {@code ***}. */
    public static String text(String text) {
        return text == null ? Errors.redact(null) : USER_INFO.matcher(text).replaceAll("$1***@");
    }

    /**
     * {@code t} itself when no message in its chain quotes credentials, else a copy of the chain
     * with redacted messages and the original stack traces, so logged stack traces stay clean.
     */
    public static Throwable cause(Throwable t) {
        if (t == null || !leaks(t)) {
            return t;
        }
        Throwable copy = new RedactedException(t.getClass().getName() + ": " + text(t.getMessage()), cause(t.getCause()));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    private static boolean leaks(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.equals(text(m))) {
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
