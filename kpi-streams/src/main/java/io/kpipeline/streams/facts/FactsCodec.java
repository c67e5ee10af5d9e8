package io.kpipeline.streams.facts;

import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import io.kpipeline.streams.entity.DimKeys;
import io.kpipeline.streams.entity.StateCodec;
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
        StateCodec.instant(w, f.createdAt());
        StateCodec.keys(w, f.keys());
        StateCodec.instant(w, f.firstContactAt());
        return w.writeString(f.convertedAccount()).writeBoolean(f.convertedInto()).writeLong(f.callsNotOnDeal()).toByteArray();
    }

    public static byte[] encode(DealFacts f) {
        ByteWriter w = header(DEAL).writeString(f.dealId()).writeString(f.product()).writeBoolean(f.won());
        w.writeUnsigned(f.touches().size());
        for (Touch t : f.touches()) {
            StateCodec.touch(w, t);
        }
        return w.toByteArray();
    }

    public static byte[] encode(WinFacts f) {
        ByteWriter w = header(WIN).writeString(f.dealId());
        StateCodec.instant(w, f.closedAt());
        w.writeDecimal(f.amount());
        StateCodec.keys(w, f.keys());
        StateCodec.instant(w, f.leadCreatedAt());
        w.writeBoolean(f.leadKeys() != null);
        if (f.leadKeys() != null) {
            StateCodec.keys(w, f.leadKeys());
        }
        return w.toByteArray();
    }

    public static LeadFacts lead(byte[] bytes) {
        ByteReader r = open(bytes, LEAD);
        return new LeadFacts(r.readBoolean(), StateCodec.instant(r), StateCodec.keys(r), StateCodec.instant(r), r.readString(), r.readBoolean(), r.readLong());
    }

    public static DealFacts deal(byte[] bytes) {
        ByteReader r = open(bytes, DEAL);
        String dealId = r.readString(), product = r.readString();
        boolean won = r.readBoolean();
        int n = Math.toIntExact(r.readUnsigned());
        List<Touch> touches = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            touches.add(StateCodec.touch(r));
        }
        return new DealFacts(dealId, product, won, touches);
    }

    public static WinFacts win(byte[] bytes) {
        ByteReader r = open(bytes, WIN);
        String dealId = r.readString();
        Instant closedAt = StateCodec.instant(r);
        var amount = r.readDecimal();
        DimKeys keys = StateCodec.keys(r);
        Instant leadCreatedAt = StateCodec.instant(r);
        DimKeys leadKeys = r.readBoolean() ? StateCodec.keys(r) : null;
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
}
