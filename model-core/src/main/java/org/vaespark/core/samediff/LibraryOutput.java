package org.vaespark.core.samediff;

import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps SameDiff's debugging prints off the console. ND4J 1.0.0-M2.1 builds a graph's gradient
 * function with one {@code System.out.println("Added differentiated op ...")} per operation
 * (74 lines for the default model): this wraps {@code System.out}, once per JVM, so that those
 * lines go to the DEBUG level of this class's logger and every other line passes through
 * unchanged. Installed once and never removed, so that Spark tasks building graphs at the same
 * time in one executor cannot restore each other's stream.
 */
public final class LibraryOutput {
    /** The start of the lines SameDiff prints while it differentiates a graph. */
    static final String DIFFERENTIATED = "Added differentiated op ";
    private static final Logger LOG = LoggerFactory.getLogger(LibraryOutput.class);
    private static final java.util.concurrent.atomic.AtomicLong DROPPED = new java.util.concurrent.atomic.AtomicLong();

    private LibraryOutput() {
    }

    /** Wraps {@code System.out} unless it is wrapped already. */
    public static synchronized void install() {
        if (!(System.out instanceof Filtered)) {
            System.setOut(new Filtered(System.out));
        }
    }

    /** How many lines were kept off the console in this JVM. */
    static long dropped() {
        return DROPPED.get();
    }

    /** System.out less SameDiff's differentiation lines. */
    static final class Filtered extends PrintStream {
        Filtered(PrintStream out) {
            super(out, true);
        }

        @Override
        public void println(String x) {
            if (x != null && x.startsWith(DIFFERENTIATED)) {
                DROPPED.incrementAndGet();
                LOG.debug(x);
            } else {
                super.println(x);
            }
        }
    }
}
