package io.kpipeline.streams.topology;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

import java.time.Duration;

/**
 * Commits often while the engine keeps up and seldom while it works through a backlog. KPIs become visible at each
 * commit, so a live stream wants short commits; but each commit flushes every changed entity and aggregate, so a
 * backfill (an import, a restart after downtime) goes faster with long ones. Kafka Streams' own commit interval is
 * the long one; this asks for a commit every {@code keepingUp} unless, within the last long interval, a tick was
 * busy: the engine spent more than {@link #BUSY} of it processing more than {@link #BUSY_RATE} events a second, some
 * appended longer than the long interval ago. A backlog is all three: the engine processes as fast as it can, tens
 * of thousands a second, most of the time, records that have waited (at 2,000 events/s it spends under a tenth). The
 * share of time makes the test hold on any machine; the rate keeps a garbage collection pause inside one call from
 * passing for a backlog; the wait keeps a live stream on a machine saturated by other work (which processes in
 * bursts) at short commits. A single tick can fall on a flush or a publication, hence the look back; a tick whose
 * records all came in recently ends it at once.
 */
public final class CommitPacer {
    /**
     * Kafka Streams property naming the commit interval in ms while the engine keeps up; absent, Kafka's interval
     * alone applies (tests, benchmarks of one setting).
     */
    public static final String KEEPING_UP_COMMIT_MS = "kpi.keeping-up.commit.interval.ms";
    private static final double BUSY = 0.4;
    private static final double BUSY_RATE = 5_000;

    private final ProcessorContext<?, ?> context;
    private final long backlogNanos;
    /** the measure is the thread's, shared by the pacers of all its tasks */
    private final ThreadShare share = ThreadShare.current();
    private long startedNanos;

    private CommitPacer(ProcessorContext<?, ?> context, Duration keepingUp, Duration backlog) {
        this.context = context;
        this.backlogNanos = backlog.toNanos();
        context.schedule(keepingUp, PunctuationType.WALL_CLOCK_TIME, now -> tick());
    }

    /** A pacer when the application configures a keeping-up interval shorter than Kafka's, else null. */
    static CommitPacer maybeStart(ProcessorContext<?, ?> context) {
        Object keepingUp = context.appConfigs().get(KEEPING_UP_COMMIT_MS);
        Object backlog = context.appConfigs().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        if (keepingUp == null || backlog == null) {
            return null;
        }
        long shortMs = Long.parseLong(keepingUp.toString()), longMs = Long.parseLong(backlog.toString());
        return shortMs >= longMs ? null : new CommitPacer(context, Duration.ofMillis(shortMs), Duration.ofMillis(longMs));
    }

    void processing() {
        startedNanos = System.nanoTime();
    }

    /** {@code appendedMs}: the record's timestamp, when it was appended to its topic. */
    void processed(long appendedMs) {
        processed(appendedMs, 1);
    }

    /** {@code events}: how many events the record counts for towards the rate of a backlog. */
    void processed(long appendedMs, int events) {
        share.busyNanos += System.nanoTime() - startedNanos;
        share.events += events;
        share.oldestAppendMs = Math.min(share.oldestAppendMs, appendedMs);
    }

    private void tick() {
        ThreadShare t = share;
        long now = System.nanoTime();
        // the time the publishers took is not the events': a publisher that takes its larger share once the engine
        // is not in a backlog would otherwise keep it out of one for good
        long elapsed = now - t.tickNanos - t.publishingNanos;
        // each of the thread's tasks ticks in turn, and measures the thread since the last tick of any
        boolean waited = System.currentTimeMillis() - t.oldestAppendMs > backlogNanos / 1_000_000;
        if (t.busyNanos > BUSY * elapsed && t.events > BUSY_RATE * elapsed / 1e9 && waited) {
            t.lastBusyNanos = now;
        }
        // records that all came in within the long interval: the backlog is over, whatever the look back says
        boolean caughtUp = t.events > 0 && !waited;
        t.busyNanos = 0;
        t.publishingNanos = 0;
        t.events = 0;
        t.oldestAppendMs = Long.MAX_VALUE;
        t.tickNanos = now;
        t.backlog = !caughtUp && now - t.lastBusyNanos <= backlogNanos;
        if (!t.backlog) {
            context.commit();
        }
    }

    /** Whether the thread is working through a backlog, as of the last tick (so commits are the long ones). */
    boolean inBacklog() {
        return share.backlog;
    }
}
