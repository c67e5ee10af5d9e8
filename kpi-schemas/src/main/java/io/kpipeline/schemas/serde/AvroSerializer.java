package io.kpipeline.schemas.serde;

import io.kpipeline.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro specific records in the Confluent wire format, registering each record's schema under
 * the topic's subject ({@code <topic>-value} or {@code <topic>-key}, Confluent's TopicNameStrategy)
 * on first use. Thread-safe, as Kafka Streams shares serdes between stream threads.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final SchemaRegistryClient registry;
    private final boolean isKey;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Schema, SpecificDatumWriter<T>> writers = new ConcurrentHashMap<>();

    public AvroSerializer(SchemaRegistryClient registry, boolean isKey) {
        this.registry = registry;
        this.isKey = isKey;
    }

    private record SubjectSchema(String subject, Schema schema) {
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Schema schema = record.getSchema();
        String subject = topic + (isKey ? "-key" : "-value");
        int id = ids.computeIfAbsent(new SubjectSchema(subject, schema), k -> registry.register(subject, schema));
        SpecificDatumWriter<T> writer = writers.computeIfAbsent(schema, SpecificDatumWriter::new);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(new byte[WireFormat.HEADER_LENGTH], 0, WireFormat.HEADER_LENGTH);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        byte[] bytes = out.toByteArray();
        WireFormat.writeHeader(bytes, id);
        return bytes;
    }
}
