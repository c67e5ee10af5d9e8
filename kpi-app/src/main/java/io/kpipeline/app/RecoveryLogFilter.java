package io.kpipeline.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.slf4j.Marker;

import java.util.regex.Pattern;

/**
 * Keeps the expected recovery after an unclean stop out of the error log. Under exactly-once a killed instance leaves
 * no checkpoint, so every task it had finds its stores "corrupted" at the next start and Kafka Streams rebuilds them
 * from their changelogs, logging at ERROR, per stream thread, every task with its exception (which an operator would
 * take for a fault). The pipeline says it in one line instead ({@code Pipeline}); any other task error is logged as before.
 */
public final class RecoveryLogFilter extends TurboFilter {
    static final String TASK_MANAGER = "org.apache.kafka.streams.processor.internals.TaskManager";
    /** Kafka's LogContext formats the message before logback sees it: the map of task id to exception, as text */
    private static final Pattern TASK = Pattern.compile("\\b\\d+_\\d+=");
    private static final Pattern CORRUPTED = Pattern.compile("\\b\\d+_\\d+=" + Pattern.quote(TaskCorruptedException.class.getName() + ":"));

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.ERROR || logger == null || !TASK_MANAGER.equals(logger.getName()) || format == null
                || !format.contains("Get exceptions for the following tasks: {")) {
            return FilterReply.NEUTRAL;
        }
        long tasks = TASK.matcher(format).results().count(), corrupted = CORRUPTED.matcher(format).results().count();
        return tasks > 0 && tasks == corrupted ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
