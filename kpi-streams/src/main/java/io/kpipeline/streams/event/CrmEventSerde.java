package io.kpipeline.streams.event;

import io.kpipeline.avro.CrmEvent;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Plain Avro binary of a validated event, for the application's internal topics and changelogs only: they are
 * read by the same build that wrote them, so they skip the registry round trip. Topics others read use the
 * registry's wire format.
 */
public final class CrmEventSerde implements Serde<CrmEvent>, Serializer<CrmEvent>, Deserializer<CrmEvent> {
    private final SpecificDatumWriter<CrmEvent> writer = new SpecificDatumWriter<>(CrmEvent.class);
    private final SpecificDatumReader<CrmEvent> reader = new SpecificDatumReader<>(CrmEvent.class);

    @Override
    public byte[] serialize(String topic, CrmEvent event) {
        if (event == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(event, encoder);
        } catch (IOException e) {
            throw new SerializationException("cannot encode event " + event.getEventId(), e);
        }
        return out.toByteArray();
    }

    @Override
    public CrmEvent deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode event on " + topic, e);
        }
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }

    @Override
    public Serializer<CrmEvent> serializer() {
        return this;
    }

    @Override
    public Deserializer<CrmEvent> deserializer() {
        return this;
    }
}
