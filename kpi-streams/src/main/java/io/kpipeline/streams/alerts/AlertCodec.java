package io.kpipeline.streams.alerts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.avro.Alert;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Alerts in the alert store (plain Avro binary) and as the API shows them (JSON). */
public final class AlertCodec {
    private static final SpecificDatumWriter<Alert> WRITER = new SpecificDatumWriter<>(Alert.class);
    private static final SpecificDatumReader<Alert> READER = new SpecificDatumReader<>(Alert.class);

    private AlertCodec() {
    }

    public static byte[] encode(Alert alert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            WRITER.write(alert, encoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static Alert decode(byte[] bytes) {
        try {
            return READER.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
