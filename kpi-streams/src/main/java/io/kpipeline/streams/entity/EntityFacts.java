package io.kpipeline.streams.entity;

import io.kpipeline.streams.store.StoreCodec;
import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one entity knows of others and told others, as one store entry: the latest facts received, by sender, and
 * the facts last sent, by reader (so only a change is sent, and a reader that is no longer one hears so).
 */
public final class EntityFacts {
    private static final int FORMAT = 1;
    /** sender entity key → its latest facts, in key order (a lead's deals by id) */
    public final TreeMap<String, byte[]> received = new TreeMap<>();
    /** reader entity key → the facts last sent to it */
    public final TreeMap<String, byte[]> sent = new TreeMap<>();

    public static final StoreCodec<EntityFacts> CODEC = new StoreCodec<>() {
        public EntityFacts decode(byte[] bytes) {
            ByteReader r = new ByteReader(bytes);
            int format = r.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("entity facts of format " + format + ", this build reads " + FORMAT);
            }
            EntityFacts f = new EntityFacts();
            read(r, f.received);
            read(r, f.sent);
            return f;
        }

        public byte[] encode(EntityFacts f) {
            ByteWriter w = new ByteWriter(128).writeByte(FORMAT);
            write(w, f.received);
            write(w, f.sent);
            return w.toByteArray();
        }

        public EntityFacts copy(EntityFacts f) {
            // the facts themselves are replaced, never written into: the maps are what change
            EntityFacts c = new EntityFacts();
            c.received.putAll(f.received);
            c.sent.putAll(f.sent);
            return c;
        }

        public boolean isEmpty(EntityFacts f) {
            return f.received.isEmpty() && f.sent.isEmpty();
        }
    };

    private static void write(ByteWriter w, Map<String, byte[]> map) {
        w.writeUnsigned(map.size());
        map.forEach((k, v) -> w.writeString(k).writeBytes(v));
    }

    private static void read(ByteReader r, Map<String, byte[]> map) {
        int n = Math.toIntExact(r.readUnsigned());
        for (int i = 0; i < n; i++) {
            map.put(r.readString(), r.readBytes());
        }
    }
}
