package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The series changed since their last publication on kpi-updates, oldest first. They are held in memory and logged
 * in a store as one record per commit (the series that commit changed, under a sequence number), deleted once
 * every series in it is published: a crash between a change and its publication republishes rather than forgets.
 * One record per commit, where a record per changed series (and a tombstone for each after publication) made these
 * marks a third of all the engine's changelog records.
 */
public final class ChangedSeries {
    private static final long UNLOGGED = -1;
    /** Series per logged record: a few tens of KB, far below the broker's message size limit. */
    static final int PER_RECORD = 1000;
    private final KeyValueStore<String, byte[]> store;
    /** series → the record that logged it ({@link #UNLOGGED} until {@link #log}), in marking order */
    private final LinkedHashMap<String, Long> pending = new LinkedHashMap<>();
    /** record → how many of its series are not yet published */
    private final Map<Long, Integer> remaining = new HashMap<>();
    private final List<String> unlogged = new ArrayList<>();
    private long next;
    private long generation;
    /** the series whose publication is under way, part sent: whether it was marked again since */
    private String watched;
    private boolean watchedMarked;

    /** Takes up what a previous run logged and did not publish. */
    public ChangedSeries(KeyValueStore<String, byte[]> store) {
        this.store = store;
        List<String> spent = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                long record = Long.parseLong(kv.key);
                next = Math.max(next, record + 1);
                int n = 0;
                for (String series : new ByteReader(kv.value).readStrings(new ArrayList<>())) {
                    if (pending.putIfAbsent(series, record) == null) {
                        n++;
                    }
                }
                if (n == 0) {
                    spent.add(kv.key);
                } else {
                    remaining.put(record, n);
                }
            }
        }
        spent.forEach(store::delete);
    }

    /** Marks a series as changed (again). */
    public void mark(String series) {
        generation++;
        if (series.equals(watched)) {
            watchedMarked = true;
        }
        if (pending.putIfAbsent(series, UNLOGGED) == null) {
            unlogged.add(series);
        }
    }

    /**
     * Logs the series marked since the last call, as records of at most {@link #PER_RECORD} series (a commit of a
     * large backfill marks thousands; one record for all could outgrow what the broker accepts); called at each
     * pre-commit flush.
     */
    public void log() {
        List<String> batch = new ArrayList<>(Math.min(unlogged.size(), PER_RECORD));
        for (String series : unlogged) {
            Long record = pending.get(series);
            if (record != null && record == UNLOGGED) {
                batch.add(series);
                if (batch.size() == PER_RECORD) {
                    write(batch);
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            write(batch);
        }
        unlogged.clear();
    }

    private void write(List<String> series) {
        long record = next++;
        series.forEach(s -> pending.put(s, record));
        store.put(key(record), new ByteWriter(series.size() * 48 + 8).writeStrings(series).toByteArray());
        remaining.put(record, series.size());
    }

    /**
     * The series not yet published, oldest first, with the number of the record that logged each (ascending; the
     * series marked since the last {@link #log} come last, under -1); not to be modified while iterating.
     */
    public Iterator<Map.Entry<String, Long>> oldestFirstWithRecords() {
        return pending.entrySet().iterator();
    }

    /** The number the next logged record will have: the series marked up to now are logged under lower ones. */
    public long nextRecord() {
        return next;
    }

    /**
     * Watches a series whose points are part sent: until the next call, {@link #markedSinceWatch} says whether it
     * changed again meanwhile (what was sent of it may then be stale). Null: none.
     */
    public void watch(String series) {
        watched = series;
        watchedMarked = false;
    }

    /** Whether the watched series was marked since {@link #watch}. */
    public boolean markedSinceWatch() {
        return watchedMarked;
    }

    /** Changes whenever a series is marked: what was read of the aggregates before may have changed. */
    public long generation() {
        return generation;
    }

    /** Forgets a published series, and its record once all the record's series are published. */
    public void published(String series) {
        Long record = pending.remove(series);
        if (record == null || record == UNLOGGED) {
            return;
        }
        if (remaining.merge(record, -1, Integer::sum) == 0) {
            remaining.remove(record);
            store.delete(key(record));
        }
    }

    /** How many series wait for publication. */
    public int size() {
        return pending.size();
    }

    /** Zero-padded, so records sort in the order they were written. */
    private static String key(long record) {
        String s = Long.toString(record);
        return "0".repeat(19 - s.length()) + s;
    }
}
