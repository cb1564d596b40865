package org.vaespark.prep.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * The messages the project's loggers ({@code org.vaespark}, at the test configuration's INFO) log while it is
 * open, as "SimpleClassName: message": what the console would show, for tests of progress lines.
 */
public final class LogLines implements AutoCloseable {
    private static final String OURS = "org.vaespark";
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext context = LoggerContext.getContext(false);
    private final LoggerConfig config;
    private final AbstractAppender appender;

    public LogLines() {
        appender = new AbstractAppender("test-lines-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                String logger = event.getLoggerName();
                lines.add(logger.substring(logger.lastIndexOf('.') + 1) + ": " + event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        config = context.getConfiguration().getLoggerConfig(OURS);
        config.addAppender(appender, null, null);
        context.updateLoggers();
    }

    /** The lines logged so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        config.removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
