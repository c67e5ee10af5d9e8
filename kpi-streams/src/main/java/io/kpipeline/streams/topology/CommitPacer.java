package io.kpipeline.streams.topology;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

import java.time.Duration;

/**
 * Commits often while the engine keeps up and seldom while it works through a backlog. KPIs become visible at each
 * commit, so a live stream wants short commits; but each commit flushes every changed entity and aggregate, so a
 * backfill (an import, a restart after downtime) goes faster with long ones. Kafka Streams' own commit interval is
 * the long one; this asks for a commit every {@code keepingUp} unless the engine has been busy within the last long
 * interval, busy meaning it spent more than {@link #BUSY} of a tick processing more than {@link #BUSY_RATE} events a
 * second. A backlog is both: the engine processes as fast as it can, tens of thousands a second, most of the time
 * (at 2,000 events/s it spends under a tenth). The share of time makes the test hold on any machine, the rate keeps a
 * garbage collection pause inside one call at live rates from passing for a backlog; and a single tick can fall on
 * a flush or a publication, hence the look back over the long interval.
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
    private long busyNanos;
    private long events;
    private long startedNanos;
    private long tickNanos = System.nanoTime();
    private long lastBusyNanos = tickNanos - Long.MAX_VALUE / 2;

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

    void processed() {
        busyNanos += System.nanoTime() - startedNanos;
        events++;
    }

    private void tick() {
        long now = System.nanoTime();
        long elapsed = now - tickNanos;
        if (busyNanos > BUSY * elapsed && events > BUSY_RATE * elapsed / 1e9) {
            lastBusyNanos = now;
        }
        busyNanos = 0;
        events = 0;
        tickNanos = now;
        if (now - lastBusyNanos > backlogNanos) {
            context.commit();
        }
    }
}
