package io.kpipeline.streams.entity;

import io.kpipeline.avro.TouchpointOutcome;
import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;

import java.time.Instant;

/** Binary forms of the entity values kept in stores and facts: instants, dimension keys, touchpoints (enums by name). */
public final class StateCodec {
    private StateCodec() {
    }

    public static void instant(ByteWriter w, Instant at) {
        w.writeBoolean(at != null);
        if (at != null) {
            w.writeLong(at.getEpochSecond()).writeInt(at.getNano());
        }
    }

    public static Instant instant(ByteReader r) {
        return r.readBoolean() ? Instant.ofEpochSecond(r.readLong(), r.readInt()) : null;
    }

    public static void keys(ByteWriter w, DimKeys k) {
        w.writeString(k.team()).writeString(k.rep()).writeString(k.region()).writeString(k.product())
                .writeString(k.source()).writeString(k.segment());
    }

    public static DimKeys keys(ByteReader r) {
        return new DimKeys(r.readString(), r.readString(), r.readString(), r.readString(), r.readString(), r.readString());
    }

    public static void touch(ByteWriter w, Touch t) {
        w.writeString(t.id());
        instant(w, t.at());
        w.writeString(t.eventId()).writeString(t.channel()).writeBoolean(t.outbound()).writeString(t.outcome().name())
                .writeString(t.repId()).writeString(t.leadId()).writeString(t.dealId());
    }

    public static Touch touch(ByteReader r) {
        return new Touch(r.readString(), instant(r), r.readString(), r.readString(), r.readBoolean(),
                TouchpointOutcome.valueOf(r.readString()), r.readString(), r.readString(), r.readString());
    }
}
