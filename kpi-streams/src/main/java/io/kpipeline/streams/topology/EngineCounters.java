package io.kpipeline.streams.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts what the engine did not apply, by reason, and what it did; bound to Micrometer by the application. */
public final class EngineCounters {
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final LongAdder applied = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder published = new LongAdder();
    private final LongAdder deltasSent = new LongAdder();
    private final LongAdder deltaBytes = new LongAdder();
    private final LongAdder deltaFlushes = new LongAdder();
    private final LongAdder eventsFlushed = new LongAdder();
    private final LongAdder factsSent = new LongAdder();
    private final LongAdder factBytes = new LongAdder();
    private final LongAdder deltasApplied = new LongAdder();
    private final LongAdder touchRecordsRead = new LongAdder();
    private volatile StreamClock clock;
    /** per publisher (one per aggregate task) */
    private final Map<Object, Long> awaitingPublication = new ConcurrentHashMap<>();
    private volatile java.util.function.LongConsumer lagListener = ms -> { };
    private volatile java.util.function.LongConsumer freshnessListener;
    /** Append times of changes applied since the last commit (by any stream thread: guarded by this). */
    private long[] pendingAppends = new long[1024];
    private int pending;

    public void rejected(String reasonCode) {
        rejected.computeIfAbsent(reasonCode, k -> new LongAdder()).increment();
    }

    public void countApplied() {
        applied.increment();
    }

    /**
     * One entity task's pre-commit flush: {@code records} kpi-deltas records of {@code bytes} in all, for the
     * {@code events} input records taken since its previous flush.
     */
    void flushed(int records, long bytes, long events) {
        deltasSent.add(records);
        deltaBytes.add(bytes);
        deltaFlushes.increment();
        eventsFlushed.add(events);
    }

    void streamClock(StreamClock clock) {
        this.clock = clock;
    }

    /** This instance's stream time (the newest occurredAt its entity tasks took), or null before any. */
    public Long streamTime() {
        StreamClock c = clock;
        return c == null ? null : c.newest();
    }

    void touchRecordsRead(long n) {
        touchRecordsRead.add(n);
    }

    /** Stored lead touchpoints read to apply changes: grows with history only where a change needs the history. */
    public long touchRecordsRead() {
        return touchRecordsRead.sum();
    }

    void factsSent(int bytes) {
        factsSent.increment();
        factBytes.add(bytes);
    }

    /** Events (applied, duplicate or refused) whose changes have left their entity task. */
    public long eventsFlushed() {
        return eventsFlushed.sum();
    }

    public long deltaBytes() {
        return deltaBytes.sum();
    }

    /** Pre-commit flushes of entity tasks (each sends one kpi-deltas record per changed dimension key). */
    public long deltaFlushes() {
        return deltaFlushes.sum();
    }

    public long factsSent() {
        return factsSent.sum();
    }

    public long factBytes() {
        return factBytes.sum();
    }

    /** {@code n} kpi-deltas records flushed into the aggregates by an aggregate task (visible to queries from then). */
    void deltasApplied(int n) {
        deltasApplied.add(n);
    }

    /**
     * kpi-deltas records sent by this instance's entity tasks; summed over all instances and equal to the sum of
     * {@link #deltasApplied()}, every change taken so far is visible to queries.
     */
    public long deltasSent() {
        return deltasSent.sum();
    }

    public long deltasApplied() {
        return deltasApplied.sum();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void published(int n) {
        published.add(n);
    }

    /** A publisher whose task closed (moved to another thread or instance) waits for nothing here any more. */
    void forget(Object publisher) {
        awaitingPublication.remove(publisher);
    }

    void awaitingPublication(Object publisher, long series) {
        awaitingPublication.put(publisher, series);
    }

    /** Receives, per applied event, the milliseconds from its append to Kafka to its application. */
    public void onApplyLag(java.util.function.LongConsumer listener) {
        this.lagListener = listener;
    }

    void applyLag(long millis) {
        lagListener.accept(Math.max(0, millis));
    }

    /**
     * Receives, per kpi-deltas record applied, the milliseconds from the append to Kafka of the oldest event it sums
     * to the aggregate stage's commit (visible to queries).
     */
    public void onFreshness(java.util.function.LongConsumer listener) {
        this.freshnessListener = listener;
    }

    synchronized void applied(long appendedAt) {
        if (freshnessListener == null) {
            return;
        }
        if (pending == pendingAppends.length) {
            pendingAppends = java.util.Arrays.copyOf(pendingAppends, pending * 2);
        }
        pendingAppends[pending++] = appendedAt;
    }

    synchronized void committed(long now) {
        java.util.function.LongConsumer listener = freshnessListener;
        if (listener != null) {
            for (int i = 0; i < pending; i++) {
                listener.accept(Math.max(0, now - pendingAppends[i]));
            }
        }
        pending = 0;
    }

    public Map<String, LongAdder> rejectedByReason() {
        return rejected;
    }

    public long applied() {
        return applied.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public long publishedPoints() {
        return published.sum();
    }

    /** Changed series whose KPI points are not yet on kpi-updates, as of the publisher's last run. */
    public long awaitingPublication() {
        return awaitingPublication.values().stream().mapToLong(Long::longValue).sum();
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
