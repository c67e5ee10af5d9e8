package io.kpipeline.streams.alerts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.avro.Alert;
import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import io.kpipeline.streams.entity.StateCodec;

import java.time.Instant;

/**
 * Alerts in the alert stores and as the API shows them (JSON). Stored field by field behind a format byte, not as
 * Avro in this build's schema (which a later build could not read without it).
 */
public final class AlertCodec {
    private static final int FORMAT = 1;

    private AlertCodec() {
    }

    public static byte[] encode(Alert a) {
        ByteWriter w = new ByteWriter(160).writeByte(FORMAT);
        w.writeString(a.getId()).writeString(a.getRule()).writeString(a.getStatus()).writeString(a.getLeadId())
                .writeString(a.getRepId()).writeString(a.getTeamId()).writeString(a.getSource()).writeString(a.getSegment());
        StateCodec.instant(w, millis(a.getCreatedAt()));
        StateCodec.instant(w, millis(a.getDeadline()));
        StateCodec.instant(w, millis(a.getFiredAt()));
        StateCodec.instant(w, millis(a.getResolvedAt()));
        w.writeBoolean(a.getWaitSeconds() != null);
        if (a.getWaitSeconds() != null) {
            w.writeLong(Double.doubleToLongBits(a.getWaitSeconds()));
        }
        return w.writeString(a.getDetail()).toByteArray();
    }

    public static Alert decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int format = r.readByte();
        if (format != FORMAT) {
            throw new IllegalStateException("stored alert of format " + format + " where this build reads " + FORMAT);
        }
        Alert a = new Alert();
        a.setId(r.readString());
        a.setRule(r.readString());
        a.setStatus(r.readString());
        a.setLeadId(r.readString());
        a.setRepId(r.readString());
        a.setTeamId(r.readString());
        a.setSource(r.readString());
        a.setSegment(r.readString());
        a.setCreatedAt(StateCodec.instant(r));
        a.setDeadline(StateCodec.instant(r));
        a.setFiredAt(StateCodec.instant(r));
        a.setResolvedAt(StateCodec.instant(r));
        a.setWaitSeconds(r.readBoolean() ? Double.longBitsToDouble(r.readLong()) : null);
        a.setDetail(r.readString());
        return a;
    }

    /** The API's JSON of an alert. */
    public static ObjectNode json(Alert a) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", a.getId()).put("rule", a.getRule()).put("status", a.getStatus());
        o.put("leadId", a.getLeadId()).put("repId", a.getRepId()).put("teamId", a.getTeamId());
        o.put("source", a.getSource()).put("segment", a.getSegment());
        o.put("createdAt", text(a.getCreatedAt())).put("deadline", text(a.getDeadline()));
        o.put("firedAt", text(a.getFiredAt())).put("resolvedAt", text(a.getResolvedAt()));
        if (a.getWaitSeconds() == null) {
            o.putNull("waitSeconds");
        } else {
            o.put("waitSeconds", a.getWaitSeconds());
        }
        if (a.getDetail() != null) {
            o.put("detail", a.getDetail());
        }
        return o;
    }

    /** As the Avro field (timestamp-millis) holds it on kpi-alerts, so the store and the topic agree. */
    private static Instant millis(Instant t) {
        return t == null ? null : t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
