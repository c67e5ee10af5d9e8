package io.kpipeline.app;

import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * What a dead stream thread is met with: a new thread. A failure Kafka calls retriable (a timeout, a coordinator still
 * loading after a restart) is the broker's state, which /health reports on its own, so it is replaced without
 * counting; any other failure is not retried forever: after {@link #MAX_FAILURES} within {@link #WINDOW} this
 * instance stops processing and /health says DOWN with the cause (its partitions go to the other instances).
 */
final class ThreadFailures implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailures.class);
    private static final int MAX_FAILURES = 3;
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private final ArrayDeque<Long> failures = new ArrayDeque<>();
    /** why stream processing stopped for good, or null */
    private volatile String fatal;

    @Override
    public StreamThreadExceptionResponse handle(Throwable e) {
        if (retriable(e)) {
            LOG.warn("stream thread failed on a retriable error, replacing it: {}", e.toString());
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        long now = System.currentTimeMillis();
        synchronized (failures) {
            failures.addLast(now);
            while (!failures.isEmpty() && failures.peekFirst() < now - WINDOW.toMillis()) {
                failures.removeFirst();
            }
            Throwable cause = e.getCause() != null && e instanceof StreamsException ? e.getCause() : e;
            if (failures.size() >= MAX_FAILURES) {
                fatal = failures.size() + " stream-thread failures within " + WINDOW.toMinutes() + " min, the last: " + cause;
                LOG.error("stream processing stopped: {}", fatal, e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            LOG.error("stream processing failed ({} of {} allowed within {} min); replacing the thread", failures.size(), MAX_FAILURES - 1,
                    WINDOW.toMinutes(), e);
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    static boolean retriable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.RetriableException) {
                return true;
            }
        }
        return false;
    }

    /** Why processing stopped for good, or null while it runs. */
    String fatal() {
        return fatal;
    }
}
