package io.kpipeline.streams.store;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A write-behind object cache in front of a logged key-value store, for the aggregates that every event updates
 * dozens of times. The processor mutates decoded values in a hash map; they are encoded and written to the
 * logged store (and so to its changelog) only when Kafka Streams flushes caches before a commit. This replaces Kafka's record cache for these stores, whose per-operation
 * cost (sorted map of byte keys, serialization, metrics) dominated the engine's profile.
 *
 * <p>The {@link KeyValueStore} methods read the underlying store: interactive queries and scans see what was last
 * flushed (at most one commit interval old), never half-applied in-memory state. Relies on Kafka Streams calling
 * {@link CachedStateStore#flushCache()} before every commit, as it does for its own caching layer.
 */
public final class WriteBehindStore<V> extends ForwardingKeyValueStore implements CachedStateStore<String, byte[]> {
    private final StoreCodec<V> codec;
    private final int maxEntries;
    /**
     * Decoded values by key, each with its dirty flag, so an update costs one hash lookup (the profile's largest
     * item was the second, into a separate dirty set); modified slots are listed for the flush.
     */
    private final Map<String, Slot<V>> slots = new HashMap<>();
    private final List<Slot<V>> dirty = new ArrayList<>();
    /** True while {@link #slots} holds every stored key, so a key it lacks is known to be absent. */
    private boolean complete;
    private boolean loaded;
    /** key → its value and dirty flag before {@link #begin}, for {@link #rollback}; one map reused by every input */
    private final Map<String, Prior<V>> journal = new HashMap<>();
    private boolean journaling;
    private Runnable beforeFlush = () -> { };
    private Runnable afterFlush = () -> { };
    private Runnable onClear = () -> { };

    /** A value as it was before the input being journaled changed it: a copy, since values are changed in place. */
    private record Prior<V>(V copy, boolean dirty, boolean cached) {
    }

    /** A cached value; a null value that is dirty is a pending deletion. */
    private static final class Slot<V> {
        final String key;
        V value;
        boolean dirty;

        Slot(String key, V value) {
            this.key = key;
            this.value = value;
        }
    }

    public WriteBehindStore(KeyValueStore<String, byte[]> inner, StoreCodec<V> codec, int maxEntries) {
        super(inner);
        this.codec = codec;
        this.maxEntries = maxEntries;
    }

    /** The store behind a processor context's decorators. */
    @SuppressWarnings("unchecked")
    public static <V> WriteBehindStore<V> unwrap(StateStore store) {
        StateStore s = store;
        while (!(s instanceof WriteBehindStore) && s instanceof WrappedStateStore<?, ?, ?> w) {
            s = w.wrapped();
        }
        if (!(s instanceof WriteBehindStore)) {
            throw new IllegalStateException("store " + store.name() + " is not a write-behind store");
        }
        return (WriteBehindStore<V>) s;
    }

    /**
     * On first use (after restoration), loads the whole store when it is small enough, so that lookups of absent
     * keys (most of them during a backfill) never reach RocksDB.
     */
    private void ensureLoaded() {
        if (loaded) {
            return;
        }
        loaded = true;
        if (inner.approximateNumEntries() > maxEntries / 2) {
            return;
        }
        try (KeyValueIterator<String, byte[]> it = inner.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                slots.put(kv.key, new Slot<>(kv.key, codec.decode(kv.value)));
            }
        }
        complete = slots.size() <= maxEntries;
        if (!complete) {
            slots.clear();
        }
    }

    /** The current value of {@code key} (including changes not yet flushed), or null. */
    public V value(String key) {
        Slot<V> slot = slot(key);
        return slot == null ? null : slot.value;
    }

    /** The cached slot of {@code key}, loaded from the store when it has the key; null when the key is absent. */
    private Slot<V> slot(String key) {
        ensureLoaded();
        Slot<V> slot = slots.get(key);
        if (slot == null && !complete) {
            byte[] stored = inner.get(key);
            if (stored != null) {
                slot = new Slot<>(key, codec.decode(stored));
                slots.put(key, slot);
            }
        }
        return slot;
    }

    /** The value of {@code key} for modification: created when absent; written back at the next flush. */
    public V update(String key, Supplier<V> create) {
        Slot<V> slot = slot(key);
        remember(key, slot);
        if (slot == null) {
            slot = new Slot<>(key, null);
            slots.put(key, slot);
        }
        if (slot.value == null) {
            slot.value = create.get();
        }
        markDirty(slot);
        return slot.value;
    }

    /** Sets a value, or removes it when {@code value} is null (written back at the next flush). */
    public void set(String key, V value) {
        ensureLoaded();
        Slot<V> slot = slots.get(key);
        remember(key, slot);
        if (slot == null) {
            slot = new Slot<>(key, value);
            slots.put(key, slot);
        }
        slot.value = value;
        markDirty(slot);
    }

    private void markDirty(Slot<V> slot) {
        if (!slot.dirty) {
            slot.dirty = true;
            dirty.add(slot);
        }
    }

    /**
     * Writes every modified value to the underlying store in one batch (a deletion for an emptied value); forgets
     * half the values when too many are held.
     */
    private void flushPending() {
        if (!dirty.isEmpty()) {
            List<KeyValue<String, byte[]>> batch = new ArrayList<>(dirty.size());
            for (Slot<V> slot : dirty) {
                if (!slot.dirty) {
                    continue; // dropped by a direct write since it was modified
                }
                slot.dirty = false;
                if (slot.value == null || codec.isEmpty(slot.value)) {
                    batch.add(KeyValue.pair(slot.key, null));
                    slots.remove(slot.key);
                } else {
                    batch.add(KeyValue.pair(slot.key, codec.encode(slot.value)));
                }
            }
            inner.putAll(batch);
            dirty.clear();
        }
        if (slots.size() > maxEntries) {
            evictHalf();
        }
    }

    /**
     * Forgets clean values until half the limit is held, in hash order (as good as random): keeps half the working set
     * warm, where forgetting everything sent every lookup after each commit to RocksDB.
     */
    private void evictHalf() {
        complete = false;
        var it = slots.values().iterator();
        while (slots.size() > maxEntries / 2 && it.hasNext()) {
            if (!it.next().dirty) {
                it.remove();
            }
        }
    }

    /**
     * Starts journaling: every value changed from now on is remembered as it was, so that {@link #rollback} can undo
     * one input's changes whole (an input that fails half-way must change nothing).
     */
    public void begin() {
        journal.clear();
        journaling = true;
    }

    /** Keeps the changes made since {@link #begin}. */
    public void commit() {
        journal.clear();
        journaling = false;
    }

    /** Undoes every change made since {@link #begin}. */
    public void rollback() {
        if (!journaling) {
            return;
        }
        journaling = false;
        for (Map.Entry<String, Prior<V>> e : journal.entrySet()) {
            Prior<V> prior = e.getValue();
            Slot<V> slot = slots.get(e.getKey());
            if (!prior.cached) {
                if (slot != null) {
                    slot.dirty = false;
                    slots.remove(e.getKey());
                }
                continue; // absent from the cache before: read from the store again when asked for, as before
            }
            if (slot == null) {
                slot = new Slot<>(e.getKey(), null);
                slots.put(e.getKey(), slot);
            }
            slot.value = prior.copy;
            if (prior.dirty) {
                markDirty(slot);
            } else {
                slot.dirty = false;
            }
        }
        journal.clear();
    }

    private void remember(String key, Slot<V> slot) {
        if (!journaling || journal.containsKey(key)) {
            return;
        }
        journal.put(key, slot == null ? new Prior<>(null, false, false)
                : new Prior<>(slot.value == null ? null : codec.copy(slot.value), slot.dirty, true));
    }

    /** Runs before each pre-commit flush: changes buffered elsewhere are written into this store then. */
    public void beforeFlush(Runnable hook) {
        this.beforeFlush = hook;
    }

    /** Runs after each pre-commit flush: what was written is about to become visible. */
    public void afterFlush(Runnable hook) {
        this.afterFlush = hook;
    }

    /** Runs when uncommitted changes are discarded (a task closed dirty): buffers feeding this store must go too. */
    public void onClear(Runnable hook) {
        this.onClear = hook;
    }

    @Override
    public void flushCache() {
        beforeFlush.run();
        flushPending();
        afterFlush.run();
    }

    @Override
    public void clearCache() {
        onClear.run();
        dirty.forEach(slot -> slot.dirty = false);
        slots.clear();
        dirty.clear();
        complete = false;
        loaded = false;
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, byte[]> listener, boolean sendOldValues) {
        return false;
    }

    // ---- direct writes drop any cached copy; reads (forwarded) see the flushed state ----

    @Override
    public void put(String key, byte[] value) {
        forget(key);
        inner.put(key, value);
    }

    @Override
    public byte[] putIfAbsent(String key, byte[] value) {
        forget(key);
        return inner.putIfAbsent(key, value);
    }

    /** A direct write makes the cached copy stale, and the key set no longer known in full. */
    private void forget(String key) {
        drop(key);
        complete = false;
    }

    /** Forgets the cached value of {@code key}, and any change to it not yet flushed. */
    private void drop(String key) {
        Slot<V> slot = slots.remove(key);
        if (slot != null) {
            slot.dirty = false;
        }
    }

    @Override
    public void putAll(List<KeyValue<String, byte[]>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public byte[] delete(String key) {
        drop(key);
        return inner.delete(key);
    }

    @Override
    public void close() {
        clearCache();
        inner.close();
    }
}
