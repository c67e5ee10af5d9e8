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
    private volatile long awaitingPublication;
    private volatile java.util.function.LongConsumer lagListener = ms -> { };
    private volatile java.util.function.LongConsumer freshnessListener;
    /** Append times of events applied since the last commit (touched by the stream thread only). */
    private long[] pendingAppends = new long[1024];
    private int pending;

    public void rejected(String reasonCode) {
        rejected.computeIfAbsent(reasonCode, k -> new LongAdder()).increment();
    }

    public void countApplied() {
        applied.increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void published(int n) {
        published.add(n);
    }

    void awaitingPublication(long series) {
        awaitingPublication = series;
    }

    /** Receives, per applied event, the milliseconds from its append to Kafka to its application. */
    public void onApplyLag(java.util.function.LongConsumer listener) {
        this.lagListener = listener;
    }

    void applyLag(long millis) {
        lagListener.accept(Math.max(0, millis));
    }

    /** Receives, per applied event, the milliseconds from its append to Kafka to its commit (visible to queries). */
    public void onFreshness(java.util.function.LongConsumer listener) {
        this.freshnessListener = listener;
    }

    void applied(long appendedAt) {
        if (freshnessListener == null) {
            return;
        }
        if (pending == pendingAppends.length) {
            pendingAppends = java.util.Arrays.copyOf(pendingAppends, pending * 2);
        }
        pendingAppends[pending++] = appendedAt;
    }

    void committed(long now) {
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
        return awaitingPublication;
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
