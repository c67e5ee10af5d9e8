package io.kpipeline.streams.entity;

import io.kpipeline.streams.store.StoreCodec;
import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;

/**
 * What the engine keeps of one entity, as one store entry: its encoded event set (a lead's without its
 * touchpoints, which {@link TouchLog} keeps), the encoded contributions it made last (a lead's own, not its
 * touchpoints'), and a lead's {@link LeadTouches}. One entry, so an event that changes its own entity's
 * contributions costs one changelog record, not two.
 */
public final class EntityRecord {
    /** encoded event set (see {@link io.kpipeline.streams.event.EventCodec}), or null */
    byte[] events;
    /** encoded contributions (see {@link io.kpipeline.streams.contrib.ContributionCodec}), or null */
    byte[] contributions;
    /** a lead's encoded {@link LeadTouches}, or null */
    byte[] touches;

    public static final StoreCodec<EntityRecord> CODEC = new StoreCodec<>() {
        public EntityRecord decode(byte[] bytes) {
            ByteReader r = new ByteReader(bytes);
            EntityRecord e = new EntityRecord();
            e.events = r.readBytes();
            e.contributions = r.readBytes();
            e.touches = r.readBytes();
            return e;
        }

        public byte[] encode(EntityRecord e) {
            int size = (e.events == null ? 0 : e.events.length) + (e.contributions == null ? 0 : e.contributions.length)
                    + (e.touches == null ? 0 : e.touches.length);
            return new ByteWriter(size + 15).writeBytes(e.events).writeBytes(e.contributions).writeBytes(e.touches).toByteArray();
        }

        public EntityRecord copy(EntityRecord e) {
            // its arrays are replaced when they change, never written into
            EntityRecord c = new EntityRecord();
            c.events = e.events;
            c.contributions = e.contributions;
            c.touches = e.touches;
            return c;
        }

        public boolean isEmpty(EntityRecord e) {
            return e.events == null && e.contributions == null && e.touches == null;
        }
    };
}
