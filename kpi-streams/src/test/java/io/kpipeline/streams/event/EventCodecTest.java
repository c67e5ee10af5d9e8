package io.kpipeline.streams.event;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.schemas.event.EventJson;
import io.kpipeline.schemas.registry.SchemaRegistryCore;
import io.kpipeline.schemas.serde.AvroDeserializer;
import io.kpipeline.schemas.serde.AvroSerializer;
import io.kpipeline.schemas.serde.WireFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An entity's stored event set, and the shortcut the engine takes with it: a record on {@code crm-events} written
 * in this build's schema carries, after its wire-format header, exactly the bytes the codec would write for the
 * decoded event, so appending those bytes stores the same set as encoding the event again.
 */
class EventCodecTest {
    private static final List<String> EVENTS = List.of(
            "{\"eventId\":\"e-1\",\"type\":\"LeadCreated\",\"occurredAt\":\"2026-11-02T09:00:00Z\",\"leadId\":\"L-1\",\"repId\":\"R-7\",\"teamId\":\"T-emea\",\"region\":\"EMEA\",\"segment\":\"SMB\",\"source\":\"inbound-web\"}",
            "{\"eventId\":\"e-2\",\"type\":\"TouchpointLogged\",\"occurredAt\":\"2026-11-02T09:03:30Z\",\"touchpointId\":\"tp-1\",\"leadId\":\"L-1\",\"repId\":\"R-7\",\"channel\":\"CALL\",\"outcome\":\"POSITIVE\"}",
            "{\"eventId\":\"e-3\",\"type\":\"DealCreated\",\"occurredAt\":\"2026-11-03T10:05:00Z\",\"dealId\":\"D-1\",\"accountId\":\"A-1\",\"leadId\":\"L-1\",\"repId\":\"R-7\",\"product\":\"analytics\",\"stage\":\"discovery\",\"amount\":\"24000.00\",\"currency\":\"USD\",\"contractMonths\":24,\"expectedCloseDate\":\"2026-12-15\"}",
            "{\"eventId\":\"e-4\",\"type\":\"DealUpdated\",\"occurredAt\":\"2026-11-04T10:05:00Z\",\"dealId\":\"D-1\",\"amount\":\"25000.50\"}",
            "{\"eventId\":\"e-5\",\"type\":\"DealClosed\",\"occurredAt\":\"2026-11-20T16:00:00Z\",\"dealId\":\"D-1\",\"outcome\":\"WON\"}",
            "{\"eventId\":\"e-6\",\"type\":\"SpendRecorded\",\"occurredAt\":\"2026-11-30T16:00:00Z\",\"spendId\":\"S-1\",\"category\":\"MARKETING\",\"amount\":\"900\",\"periodStart\":\"2026-11-01\",\"periodEnd\":\"2026-11-30\",\"channel\":\"paid-search\"}",
            "{\"eventId\":\"e-7\",\"type\":\"TargetSet\",\"occurredAt\":\"2026-10-30T16:00:00Z\",\"targetId\":\"G-1\",\"period\":\"2026-Q4\",\"metric\":\"pipeline_value\",\"value\":\"100000\",\"teamId\":\"T-emea\"}",
            "{\"eventId\":\"e-8\",\"type\":\"CustomerChurned\",\"occurredAt\":\"2026-12-30T16:00:00Z\",\"accountId\":\"A-1\",\"origin\":\"csv\"}");

    private final SchemaRegistryCore registry = SchemaRegistryCore.inMemory();
    private final AvroDeserializer<CrmEvent> deserializer = new AvroDeserializer<>(registry, CrmEvent.class);
    private final EventCodec codec = EventCodec.registered(registry, "crm-events-value");

    @Test
    void aRecordInThisBuildsSchemaAppendsTheSameBytesAsEncodingTheDecodedEvent() {
        AvroSerializer<CrmEvent> serializer = new AvroSerializer<>(registry, false);
        byte[] encoded = null, fromBodies = null;
        for (String line : EVENTS) {
            byte[] framed = serializer.serialize("crm-events", EventJson.parse(line));
            CrmEvent decoded = deserializer.deserialize("crm-events", framed);
            assertThat(deserializer.writtenWithReaderSchema(framed)).isTrue();
            encoded = codec.append(encoded, decoded);
            fromBodies = codec.append(fromBodies, framed, WireFormat.HEADER_LENGTH, framed.length - WireFormat.HEADER_LENGTH);
            assertThat(fromBodies).isEqualTo(encoded);
        }
        assertThat(codec.decode(fromBodies)).containsExactlyElementsOf(EVENTS.stream().map(EventJson::parse).toList());
    }

    @Test
    void aRecordInAnotherSchemaIsReadButItsBytesAreNotTakenAsThisBuilds() throws Exception {
        // a producer on a later schema: one more optional envelope field, first, registered as the compatible next
        // version; its body is not this build's encoding of the event, so the engine must encode the event itself
        Schema ours = CrmEvent.getClassSchema();
        Schema evolved = new Schema.Parser().parse(ours.toString().replaceFirst("\"fields\"\\s*:\\s*\\[",
                "\"fields\":[{\"name\":\"tenant\",\"type\":[\"null\",\"string\"],\"default\":null},"));
        int ourId = registry.register("crm-events-value", ours); // as the codec did
        int id = registry.register("crm-events-value", evolved);
        assertThat(id).isNotEqualTo(ourId);
        CrmEvent event = EventJson.parse(EVENTS.get(2));
        GenericRecord record = new GenericData.Record(evolved);
        for (Schema.Field f : ours.getFields()) {
            record.put(f.name(), event.get(f.pos()));
        }
        record.put("tenant", "acme");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(evolved, org.apache.avro.specific.SpecificData.getForClass(CrmEvent.class)).write(record, encoder);
        encoder.flush();
        byte[] framed = out.toByteArray();

        assertThat(deserializer.deserialize("crm-events", framed)).isEqualTo(event);
        assertThat(deserializer.writtenWithReaderSchema(framed)).isFalse();
        // and it is not: the stored set from its body would not be the event's
        byte[] fromBody = codec.append(null, framed, WireFormat.HEADER_LENGTH, framed.length - WireFormat.HEADER_LENGTH);
        assertThat(fromBody).isNotEqualTo(codec.append(null, event));
    }

    @Test
    void aSetStoredByABuildWithAnotherSchemaIsReadWithItAndWrittenAgainInThisBuildsOnAppend() throws Exception {
        // a later build whose schema has one more optional envelope field stored a set of two events; this build
        // reads them with that writer schema from the registry, and its next append writes the set in its own
        Schema ours = CrmEvent.getClassSchema();
        Schema evolved = new Schema.Parser().parse(ours.toString().replaceFirst("\"fields\"\\s*:\\s*\\[",
                "\"fields\":[{\"name\":\"tenant\",\"type\":[\"null\",\"string\"],\"default\":null},"));
        int evolvedId = registry.register("crm-events-value", evolved);
        byte[] stored = null;
        EventCodec later = new EventCodec(evolvedId, registry::schemaById);
        List<CrmEvent> events = EVENTS.stream().map(EventJson::parse).toList();
        for (CrmEvent event : events.subList(0, 2)) {
            GenericRecord record = new GenericData.Record(evolved);
            for (Schema.Field f : ours.getFields()) {
                record.put(f.name(), event.get(f.pos()));
            }
            record.put("tenant", "acme");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(evolved, org.apache.avro.specific.SpecificData.getForClass(CrmEvent.class)).write(record, encoder);
            encoder.flush();
            byte[] body = out.toByteArray();
            stored = later.append(stored, body, 0, body.length);
        }
        assertThat(codec.decode(stored)).containsExactlyElementsOf(events.subList(0, 2));
        byte[] appended = codec.append(stored, events.get(2));
        assertThat(appended).isEqualTo(codec.append(codec.append(codec.append(null, events.get(0)), events.get(1)), events.get(2)));
        assertThat(codec.decode(appended)).containsExactlyElementsOf(events.subList(0, 3));
    }
}
