package io.kpipeline.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.streams.errors.TaskCorruptedException;

import java.util.regex.Pattern;

/**
 * Keeps the expected recovery after an unclean stop out of the error log. Under exactly-once a killed instance leaves
 * no checkpoint, so every task it had finds its stores "corrupted" at the next start and Kafka Streams rebuilds them
 * from their changelogs, logging at ERROR, per stream thread, every task with its exception (which an operator would
 * take for a fault). {@link UncleanStop} says it in one line instead; any other task error is logged as before. An
 * appender's filter, so it sees only the events that passed the loggers' levels, never the hot paths' debug calls.
 */
public final class RecoveryLogFilter extends Filter<ILoggingEvent> {
    static final String TASK_MANAGER = "org.apache.kafka.streams.processor.internals.TaskManager";
    /** Kafka's LogContext formats the message before logback sees it: the map of task id to exception, as text */
    private static final String TASK_ENTRY = "\\b\\d+_\\d+=";
    private static final Pattern TASK = Pattern.compile(TASK_ENTRY);
    private static final Pattern CORRUPTED = Pattern.compile(TASK_ENTRY + Pattern.quote(TaskCorruptedException.class.getName() + ":"));

    @Override
    public FilterReply decide(ILoggingEvent event) {
        if (event.getLevel() != Level.ERROR || !TASK_MANAGER.equals(event.getLoggerName())) {
            return FilterReply.NEUTRAL;
        }
        String message = event.getFormattedMessage();
        if (message == null || !message.contains("Get exceptions for the following tasks: {")) {
            return FilterReply.NEUTRAL;
        }
        long tasks = TASK.matcher(message).results().count(), corrupted = CORRUPTED.matcher(message).results().count();
        return tasks > 0 && tasks == corrupted ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
