package io.kpipeline.streams.topology;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Stream time as the contract defines it, the newest {@code occurredAt} seen, shared by the entity tasks of one
 * instance: an event is too late against every event this instance has taken, not only those of its own partition.
 * Each task also keeps its own newest in its store, so a restart starts from the newest of the tasks it runs.
 * (Across instances each knows its own tasks' newest.)
 */
final class StreamClock {
    private final AtomicLong newest = new AtomicLong(Long.MIN_VALUE);

    void observe(long occurredAt) {
        newest.accumulateAndGet(occurredAt, Math::max);
    }

    /** The newest occurredAt seen, or null before any. */
    Long newest() {
        long n = newest.get();
        return n == Long.MIN_VALUE ? null : n;
    }
}
