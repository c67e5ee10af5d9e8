package io.kpipeline.schemas.serde;

import io.kpipeline.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format records into an Avro specific class, resolving the writer's schema (fetched
 * by id from the registry, then cached) against the class's own: records written with an older or newer
 * compatible schema decode. Anything that is not a valid record is a {@link SerializationException}
 * naming what is wrong. Thread-safe.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final SpecificData model;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> readersOwn = new ConcurrentHashMap<>();

    public AvroDeserializer(SchemaRegistryClient registry, Class<T> type) {
        this.registry = registry;
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        int id = WireFormat.schemaId(bytes);
        SpecificDatumReader<T> reader = readers.computeIfAbsent(id, this::readerFor);
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_LENGTH,
                    bytes.length - WireFormat.HEADER_LENGTH, null);
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("record of schema " + id + " has " + "trailing bytes after the Avro data");
            }
            return record;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("not a valid " + readerSchema.getName() + " record (schema id " + id + "): " + e, e);
        }
    }

    /**
     * Whether a record that {@link #deserialize} read was written with the reader's own schema, so that its Avro
     * body (after the wire-format header) is the plain binary encoding of the decoded record in that schema.
     */
    public boolean writtenWithReaderSchema(byte[] bytes) {
        int id = WireFormat.schemaId(bytes);
        return readersOwn.computeIfAbsent(id, i -> readers.computeIfAbsent(i, this::readerFor).getSchema().equals(readerSchema));
    }

    private SpecificDatumReader<T> readerFor(int id) {
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(id);
        } catch (RuntimeException e) {
            throw new SerializationException("cannot fetch schema " + id + " from the registry: " + e.getMessage(), e);
        }
        return new SpecificDatumReader<>(writerSchema, readerSchema, model);
    }
}
