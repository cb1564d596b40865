package org.vaespark.jobs.cli;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.vaespark.core.errors.VaeException;

/**
 * Keeps Spark's report of a user error out of the console: a {@link VaeException} thrown inside a
 * task is logged by the executor ("Exception in task", with its stack trace) and by the task set
 * manager ("Lost task", the trace as text, then "Task N in stage S failed K times; aborting job"), all in
 * {@code org.apache.spark} loggers, before the job fails and {@link JobCommand} prints the exception's one
 * clear message. Those events are denied unless their logger is at DEBUG (e.g.
 * {@code logger.spark.level = debug}); every other event passes. On a cluster the executors log
 * with their own configuration, so the traces stay in the executor logs.
 */
@Plugin(name = "UserErrorFilter", category = Node.CATEGORY, elementType = Filter.ELEMENT_TYPE, printObject = true)
public final class UserErrorFilter extends AbstractFilter {
    private static final String NAME = VaeException.class.getName();
    /** Only Spark's own loggers: the jobs' loggers say what they mean. */
    private static final String SPARK = "org.apache.spark.";
    /** The task set manager's report of a failed task attempt, and of the stage it then aborts. */
    private static final Pattern LOST = Pattern.compile("Lost task \\S+ in stage (\\S+) ");
    private static final Pattern ABORT = Pattern.compile("Task \\d+ in stage (\\S+) failed \\d+ times; aborting job");
    /** Stages (id.attempt) whose task failed on a user error: their abort line goes too. */
    private final Set<String> userErrorStages = ConcurrentHashMap.newKeySet();

    private UserErrorFilter(Result onMatch, Result onMismatch) {
        super(onMatch, onMismatch);
    }

    /** {@code onMatch} (default DENY) is what a user error's Spark log event gets; every other event gets {@code onMismatch} (NEUTRAL). */
    @PluginFactory
    public static UserErrorFilter createFilter(@PluginAttribute("onMatch") Result onMatch, @PluginAttribute("onMismatch") Result onMismatch) {
        return new UserErrorFilter(onMatch == null ? Result.DENY : onMatch, onMismatch == null ? Result.NEUTRAL : onMismatch);
    }

    @Override
    public Result filter(LogEvent event) {
        if (!event.getLevel().isMoreSpecificThan(Level.WARN) || event.getLoggerName() == null || !event.getLoggerName().startsWith(SPARK)
                || LogManager.getLogger(event.getLoggerName()).isDebugEnabled()) {
            return onMismatch;
        }
        String message = event.getMessage() == null ? "" : event.getMessage().getFormattedMessage();
        if (isUserError(event, message)) {
            Matcher lost = LOST.matcher(message);
            if (lost.lookingAt()) {
                userErrorStages.add(lost.group(1));
            }
            return onMatch;
        }
        Matcher abort = ABORT.matcher(message);
        return abort.lookingAt() && userErrorStages.contains(abort.group(1)) ? onMatch : onMismatch;
    }

    private static boolean isUserError(LogEvent event, String message) {
        for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
            if (t instanceof VaeException || NAME.equals(t.getClass().getName())) {
                return true;
            }
        }
        return message.contains(NAME);
    }
}
