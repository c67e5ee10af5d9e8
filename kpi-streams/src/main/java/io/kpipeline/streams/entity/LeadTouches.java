package io.kpipeline.streams.entity;

import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a lead keeps of its touchpoints beside the touchpoints themselves ({@link TouchLog}): their summary, its
 * first meeting, and the basis its touchpoints were last counted under (the lead's keys, and the product of each of
 * its deals; null basis: not counted, the lead not created). A touchpoint's contributions are a function of the
 * touchpoint and the basis, so they are never stored: a new basis recounts every touchpoint, anything else only the
 * touchpoint that changed.
 */
public record LeadTouches(TouchSummary summary, FirstMeeting meeting, Basis basis) {
    private static final int FORMAT = 1;
    public static final LeadTouches NONE = new LeadTouches(TouchSummary.EMPTY, null, null);

    /** The lead's keys and its deals' products, in deal id order (a product may be null). */
    public record Basis(DimKeys keys, TreeMap<String, String> products) {
        public DimKeys keysOf(Touch t) {
            return keys.withRep(t.repId()).withProduct(t.dealId() == null ? null : products.get(t.dealId()));
        }
    }

    public static byte[] encode(LeadTouches t) {
        ByteWriter w = new ByteWriter(96).writeByte(FORMAT);
        TouchSummary s = t.summary;
        w.writeUnsigned(s.count()).writeUnsigned(s.outbound()).writeUnsigned(s.calls());
        StateCodec.instant(w, s.firstOutboundAt());
        StateCodec.instant(w, s.lastAt());
        w.writeString(s.lastEventId());
        w.writeBoolean(t.meeting != null);
        if (t.meeting != null) {
            StateCodec.instant(w, t.meeting.at());
            w.writeString(t.meeting.eventId()).writeUnsigned(t.meeting.index());
        }
        w.writeBoolean(t.basis != null);
        if (t.basis != null) {
            StateCodec.keys(w, t.basis.keys);
            w.writeUnsigned(t.basis.products.size());
            for (Map.Entry<String, String> e : t.basis.products.entrySet()) {
                w.writeString(e.getKey()).writeString(e.getValue());
            }
        }
        return w.toByteArray();
    }

    public static LeadTouches decode(byte[] bytes) {
        if (bytes == null) {
            return NONE;
        }
        ByteReader r = new ByteReader(bytes);
        int format = r.readByte();
        if (format != FORMAT) {
            throw new IllegalStateException("lead touchpoint state of format " + format + " where this build reads " + FORMAT);
        }
        long count = r.readUnsigned(), outbound = r.readUnsigned(), calls = r.readUnsigned();
        Instant firstOutbound = StateCodec.instant(r), lastAt = StateCodec.instant(r);
        TouchSummary s = new TouchSummary(count, outbound, firstOutbound, calls, lastAt, r.readString());
        FirstMeeting m = r.readBoolean() ? new FirstMeeting(StateCodec.instant(r), r.readString(), r.readUnsigned()) : null;
        Basis b = null;
        if (r.readBoolean()) {
            DimKeys keys = StateCodec.keys(r);
            TreeMap<String, String> products = new TreeMap<>();
            for (long i = r.readUnsigned(); i > 0; i--) {
                products.put(r.readString(), r.readString());
            }
            b = new Basis(keys, products);
        }
        return new LeadTouches(s, m, b);
    }
}
