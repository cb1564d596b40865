package org.vaespark.jobs.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.vaespark.core.errors.VaeException;

/**
 * Keeps Spark's report of a user error out of the console: a {@link VaeException} thrown inside a
 * task is logged by the executor ("Exception in task", with its stack trace) and by the task set
 * manager ("Lost task", the trace as text) before the job fails and {@link JobCommand} prints the
 * exception's one clear message. Those events are denied unless their logger is at DEBUG (e.g.
 * {@code logger.spark.level = debug}); every other event passes. On a cluster the executors log
 * with their own configuration, so the traces stay in the executor logs.
 */
@Plugin(name = "UserErrorFilter", category = Node.CATEGORY, elementType = Filter.ELEMENT_TYPE, printObject = true)
public final class UserErrorFilter extends AbstractFilter {
    private static final String NAME = VaeException.class.getName();

    private UserErrorFilter() {
        super(Result.DENY, Result.NEUTRAL);
    }

    @PluginFactory
    public static UserErrorFilter createFilter() {
        return new UserErrorFilter();
    }

    @Override
    public Result filter(LogEvent event) {
        if (!event.getLevel().isMoreSpecificThan(Level.WARN) || !isUserError(event)) {
            return Result.NEUTRAL;
        }
        return LogManager.getLogger(event.getLoggerName()).isDebugEnabled() ? Result.NEUTRAL : Result.DENY;
    }

    private static boolean isUserError(LogEvent event) {
        for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
            if (t instanceof VaeException || NAME.equals(t.getClass().getName())) {
                return true;
            }
        }
        String message = event.getMessage() == null ? null : event.getMessage().getFormattedMessage();
        return message != null && message.contains(NAME);
    }
}
