package io.kpipeline.streams.topology;

/**
 * What the tasks of one stream thread share: each task has its own processors, but they run in turn on one thread,
 * so the thread's time is what a budget divides, and whether the thread works through a backlog is a property of
 * the thread (each of eight tasks sees an eighth of the events). Found by the thread that runs the task.
 */
final class ThreadShare {
    private static final ThreadLocal<ThreadShare> CURRENT = ThreadLocal.withInitial(ThreadShare::new);

    // publication: nanoseconds spent in the current chunk window by all the thread's publishers
    private long windowStart = System.nanoTime() - Long.MAX_VALUE / 2;
    private long spent;
    private final java.util.Set<Object> spenders = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    // the commit pacer's measure of the thread (see CommitPacer)
    long busyNanos;
    /** nanoseconds the thread's publishers spent since the pacer's last tick */
    long publishingNanos;
    long events;
    long oldestAppendMs = Long.MAX_VALUE;
    long tickNanos = System.nanoTime();
    long lastBusyNanos = tickNanos - Long.MAX_VALUE / 2;
    boolean backlog;

    static ThreadShare current() {
        return CURRENT.get();
    }

    /** A fresh share for the calling thread (tests that start over on one thread). */
    static void reset() {
        CURRENT.remove();
    }

    /** What is left of {@code budgetNanos} in the current window of {@code windowNanos} (a new window starts with all of it). */
    long remaining(long windowNanos, long budgetNanos) {
        long now = System.nanoTime();
        if (now - windowStart >= windowNanos) {
            windowStart = now;
            spent = 0;
            spenders.clear();
        }
        return budgetNanos - spent;
    }

    void spend(Object publisher, long nanos) {
        spent += nanos;
        publishingNanos += nanos;
        spenders.add(publisher);
    }

    /** Whether a publisher other than {@code publisher} has spent of the current window. */
    boolean spentByOthers(Object publisher) {
        return spenders.size() > (spenders.contains(publisher) ? 1 : 0);
    }
}
