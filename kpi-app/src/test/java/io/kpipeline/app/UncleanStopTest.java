package io.kpipeline.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class UncleanStopTest {
    @TempDir
    Path dir;

    @Test
    void aRunThatWasNotStoppedIsFoundAtTheNextStart() throws Exception {
        Path state = dir.resolve("streams");
        assertThat(UncleanStop.check(state)).as("a fresh directory").isFalse();
        // killed: nothing removed the marker
        assertThat(UncleanStop.check(state)).as("after a kill").isTrue();
        UncleanStop.stopped(state);
        assertThat(UncleanStop.check(state)).as("after a clean stop").isFalse();
    }

    @Test
    void onlyTheListOfCorruptedTasksIsKeptOutOfTheLog() {
        RecoveryLogFilter filter = new RecoveryLogFilter();
        LoggerContext context = new LoggerContext();
        Logger taskManager = context.getLogger(RecoveryLogFilter.TASK_MANAGER);
        // as Kafka's LogContext hands it over: formatted, with the thread's prefix, no parameters
        String corrupted = "stream-thread [app-StreamThread-1] Get exceptions for the following tasks: {2_1=" + TaskCorruptedException.class.getName()
                + ": Tasks [2_1] are corrupted and hence need to be re-initialized, 3_5=" + TaskCorruptedException.class.getName()
                + ": Tasks [3_5] are corrupted and hence need to be re-initialized}";
        assertThat(filter.decide(event(taskManager, Level.ERROR, corrupted))).isEqualTo(FilterReply.DENY);
        // any other failure among them is logged as Kafka Streams logs it
        String mixed = corrupted.replace("}", ", 0_1=" + TimeoutException.class.getName() + ": Timeout expired while awaiting InitProducerId}");
        assertThat(filter.decide(event(taskManager, Level.ERROR, mixed))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(event(taskManager, Level.ERROR, "stream-thread [x] Failed to process"))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(event(context.getLogger("io.kpipeline.app.Pipeline"), Level.ERROR, corrupted))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(event(taskManager, Level.ERROR, null))).as("an event without a message").isEqualTo(FilterReply.NEUTRAL);
    }

    private static LoggingEvent event(Logger logger, Level level, String message) {
        return new LoggingEvent(Logger.class.getName(), logger, level, message, null, null);
    }
}
