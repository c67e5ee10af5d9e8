package io.kpipeline.streams.entity;

import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import io.kpipeline.streams.store.WriteBehindStore;

import java.util.Arrays;

/**
 * What the engine keeps of one entity, as one store entry: its encoded event set and the encoded contributions it
 * made last. One entry, so an event that changes its own entity's contributions costs one changelog record, not two.
 */
public final class EntityRecord {
    /** encoded event set (see {@link io.kpipeline.streams.event.EventCodec}), or null */
    byte[] events;
    /** encoded contributions (see {@link io.kpipeline.streams.contrib.ContributionCodec}), or null */
    byte[] contributions;

    public static final WriteBehindStore.Codec<EntityRecord> CODEC = new WriteBehindStore.Codec<>() {
        public EntityRecord decode(byte[] bytes) {
            ByteReader r = new ByteReader(bytes);
            EntityRecord e = new EntityRecord();
            int events = Math.toIntExact(r.readUnsigned());
            int at = r.position();
            e.events = events == 0 ? null : Arrays.copyOfRange(bytes, at, at + events);
            e.contributions = at + events == bytes.length ? null : Arrays.copyOfRange(bytes, at + events, bytes.length);
            return e;
        }

        public byte[] encode(EntityRecord e) {
            int events = e.events == null ? 0 : e.events.length;
            int contributions = e.contributions == null ? 0 : e.contributions.length;
            ByteWriter w = new ByteWriter(events + contributions + 5);
            w.writeUnsigned(events);
            if (events > 0) {
                w.writeRaw(e.events);
            }
            if (contributions > 0) {
                w.writeRaw(e.contributions);
            }
            return w.toByteArray();
        }

        public boolean isEmpty(EntityRecord e) {
            return e.events == null && e.contributions == null;
        }
    };
}
