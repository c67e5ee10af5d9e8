package io.kpipeline.streams.facts;

import io.kpipeline.avro.TouchpointOutcome;
import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import io.kpipeline.streams.entity.DimKeys;
import io.kpipeline.streams.entity.Touch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of facts, as sent on the facts topic and kept by their reader: a format byte, a kind byte, then
 * the fields (enums by name, never by ordinal), so what one build wrote the next one reads or refuses by name.
 */
public final class FactsCodec {
    private static final int FORMAT = 1;
    private static final int LEAD = 'L', DEAL = 'D', WIN = 'W';

    private FactsCodec() {
    }

    public static byte[] encode(LeadFacts f) {
        ByteWriter w = header(LEAD).writeBoolean(f.exists());
        instant(w, f.createdAt());
        keys(w, f.keys());
        instant(w, f.firstContactAt());
        return w.writeString(f.convertedAccount()).writeBoolean(f.convertedInto()).writeLong(f.callsNotOnDeal()).toByteArray();
    }

    public static byte[] encode(DealFacts f) {
        ByteWriter w = header(DEAL).writeString(f.dealId()).writeString(f.product()).writeBoolean(f.won());
        w.writeUnsigned(f.touches().size());
        for (Touch t : f.touches()) {
            w.writeString(t.id());
            instant(w, t.at());
            w.writeString(t.eventId()).writeString(t.channel()).writeBoolean(t.outbound()).writeString(t.outcome().name())
                    .writeString(t.repId()).writeString(t.leadId()).writeString(t.dealId());
        }
        return w.toByteArray();
    }

    public static byte[] encode(WinFacts f) {
        ByteWriter w = header(WIN).writeString(f.dealId());
        instant(w, f.closedAt());
        w.writeDecimal(f.amount());
        keys(w, f.keys());
        instant(w, f.leadCreatedAt());
        w.writeBoolean(f.leadKeys() != null);
        if (f.leadKeys() != null) {
            keys(w, f.leadKeys());
        }
        return w.toByteArray();
    }

    public static LeadFacts lead(byte[] bytes) {
        ByteReader r = open(bytes, LEAD);
        return new LeadFacts(r.readBoolean(), instant(r), keys(r), instant(r), r.readString(), r.readBoolean(), r.readLong());
    }

    public static DealFacts deal(byte[] bytes) {
        ByteReader r = open(bytes, DEAL);
        String dealId = r.readString(), product = r.readString();
        boolean won = r.readBoolean();
        int n = Math.toIntExact(r.readUnsigned());
        List<Touch> touches = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            touches.add(new Touch(r.readString(), instant(r), r.readString(), r.readString(), r.readBoolean(),
                    TouchpointOutcome.valueOf(r.readString()), r.readString(), r.readString(), r.readString()));
        }
        return new DealFacts(dealId, product, won, touches);
    }

    public static WinFacts win(byte[] bytes) {
        ByteReader r = open(bytes, WIN);
        String dealId = r.readString();
        Instant closedAt = instant(r);
        var amount = r.readDecimal();
        DimKeys keys = keys(r);
        Instant leadCreatedAt = instant(r);
        DimKeys leadKeys = r.readBoolean() ? keys(r) : null;
        return new WinFacts(dealId, closedAt, amount, keys, leadCreatedAt, leadKeys);
    }

    private static ByteWriter header(int kind) {
        return new ByteWriter(64).writeByte(FORMAT).writeByte(kind);
    }

    private static ByteReader open(byte[] bytes, int kind) {
        ByteReader r = new ByteReader(bytes);
        int format = r.readByte(), k = r.readByte();
        if (format != FORMAT || k != kind) {
            throw new IllegalArgumentException("facts of format " + format + " and kind '" + (char) k + "' where this build reads format "
                    + FORMAT + " kind '" + (char) kind + "'");
        }
        return r;
    }

    private static void instant(ByteWriter w, Instant at) {
        w.writeBoolean(at != null);
        if (at != null) {
            w.writeLong(at.getEpochSecond()).writeInt(at.getNano());
        }
    }

    private static Instant instant(ByteReader r) {
        return r.readBoolean() ? Instant.ofEpochSecond(r.readLong(), r.readInt()) : null;
    }

    private static void keys(ByteWriter w, DimKeys k) {
        w.writeString(k.team()).writeString(k.rep()).writeString(k.region()).writeString(k.product())
                .writeString(k.source()).writeString(k.segment());
    }

    private static DimKeys keys(ByteReader r) {
        return new DimKeys(r.readString(), r.readString(), r.readString(), r.readString(), r.readString(), r.readString());
    }
}
