package io.kpipeline.streams.entity;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.TouchpointLogged;
import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import io.kpipeline.streams.store.WriteBehindStore;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The touchpoints logged on leads, one store entry per touchpoint id (and one per event id, to tell duplicates),
 * so that logging one more touchpoint writes that touchpoint alone, never the lead's history. Each entry is the
 * touchpoint folded from its events so far: the time and event id of its first event, the fields of its latest
 * (as {@link Touch#fold} reads them in contract order), and the latest event's place in that order.
 */
public final class TouchLog {
    private static final int FORMAT = 1;
    private static final String TOUCH = "\u0000", EVENT = "\u0001";
    private static final byte[] SEEN = new byte[0];
    private static final StringSerializer KEYS = new StringSerializer();
    private final WriteBehindStore<byte[]> store;
    /** touchpoint ids per entity written since the last flush: a scan of the flushed store misses them */
    private final Map<String, Set<String>> unflushed = new HashMap<>();
    private long read;

    /** A touchpoint as it was before an event and as it is after it ({@code before} null: a new touchpoint). */
    public record Change(Touch before, Touch after) {
    }

    public TouchLog(WriteBehindStore<byte[]> store) {
        this.store = store;
        store.afterFlush(unflushed::clear);
        store.onClear(unflushed::clear);
    }

    /** True when an event with this id was logged on the entity as a touchpoint. */
    public boolean seen(String entity, String eventId) {
        return store.value(entity + EVENT + eventId) != null;
    }

    /** The entity's touchpoint with this id, or null. */
    public Touch touch(String entity, String touchpointId) {
        byte[] bytes = store.value(entity + TOUCH + touchpointId);
        read++;
        return bytes == null ? null : decode(bytes).touch;
    }

    /** Logs a touchpoint event (not {@link #seen} before) on its entity. */
    public Change add(String entity, CrmEvent e, TouchpointLogged t) {
        Touch next = Touch.of(e, t);
        String key = entity + TOUCH + next.id();
        byte[] stored = store.value(key);
        Entry before = stored == null ? null : decode(stored);
        Entry after;
        if (before == null) {
            after = new Entry(next, next.at(), next.eventId());
        } else {
            Touch b = before.touch;
            boolean earlier = Touch.ORDER.compare(next, b) < 0;
            boolean later = compare(next.at(), next.eventId(), before.latestAt, before.latestEventId) > 0;
            Touch fields = later ? next : b;
            after = new Entry(new Touch(b.id(), earlier ? next.at() : b.at(), earlier ? next.eventId() : b.eventId(), fields.channel(),
                    fields.outbound(), fields.outcome(), fields.repId(), fields.leadId(), fields.dealId()),
                    later ? next.at() : before.latestAt, later ? next.eventId() : before.latestEventId);
        }
        store.set(key, encode(after));
        store.set(entity + EVENT + e.getEventId(), SEEN);
        unflushed.computeIfAbsent(entity, k -> new HashSet<>()).add(next.id());
        return new Change(before == null ? null : before.touch, after.touch);
    }

    /** Every touchpoint of the entity, in {@link Touch#ORDER}: reads them all, for the changes that need them all. */
    public List<Touch> all(String entity) {
        Set<String> pending = unflushed.getOrDefault(entity, Set.of());
        String prefix = entity + TOUCH;
        List<Touch> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix, KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (!pending.contains(kv.key.substring(prefix.length()))) {
                    out.add(decode(kv.value).touch);
                }
            }
        }
        for (String id : pending) {
            out.add(decode(store.value(prefix + id)).touch);
        }
        read += out.size();
        out.sort(Touch.ORDER);
        return out;
    }

    /** Touchpoint entries read so far (by lookups and scans): the work that would grow with a lead's history. */
    public long recordsRead() {
        return read;
    }

    private static int compare(Instant at, String eventId, Instant otherAt, String otherEventId) {
        int c = at.compareTo(otherAt);
        return c != 0 ? c : eventId.compareTo(otherEventId);
    }

    private record Entry(Touch touch, Instant latestAt, String latestEventId) {
    }

    private static byte[] encode(Entry e) {
        ByteWriter w = new ByteWriter(96).writeByte(FORMAT);
        StateCodec.touch(w, e.touch);
        StateCodec.instant(w, e.latestAt);
        return w.writeString(e.latestEventId).toByteArray();
    }

    private static Entry decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int format = r.readByte();
        if (format != FORMAT) {
            throw new IllegalStateException("touchpoint entry of format " + format + " where this build reads " + FORMAT);
        }
        return new Entry(StateCodec.touch(r), StateCodec.instant(r), r.readString());
    }
}
