package io.kpipeline.schemas.serde;

import io.kpipeline.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
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
 *
 * <p>Bulk imports call this a million times a minute, so each thread reuses its buffer and encoder, and the
 * schema id of the last (topic, schema) pair is remembered without building the subject name again.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final SchemaRegistryClient registry;
    private final boolean isKey;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Schema, SpecificDatumWriter<T>> writers = new ConcurrentHashMap<>();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private volatile Last last;

    public AvroSerializer(SchemaRegistryClient registry, boolean isKey) {
        this.registry = registry;
        this.isKey = isKey;
    }

    private record SubjectSchema(String subject, Schema schema) {
    }

    /** The id and writer of the most recent (topic, schema), compared by identity. */
    private record Last(String topic, Schema schema, int id, SpecificDatumWriter<?> writer) {
    }

    /** A thread's growable output buffer and the encoder writing into it. */
    private static final class Scratch extends OutputStream {
        byte[] buf = new byte[512];
        int size;
        BinaryEncoder encoder;

        @Override
        public void write(int b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (size + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + len));
            }
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Schema schema = record.getSchema();
        Last l = last;
        if (l == null || l.topic() != topic || l.schema() != schema) {
            String subject = topic + (isKey ? "-key" : "-value");
            int id = ids.computeIfAbsent(new SubjectSchema(subject, schema), k -> registry.register(subject, schema));
            l = new Last(topic, schema, id, writers.computeIfAbsent(schema, SpecificDatumWriter::new));
            last = l;
        }
        Scratch out = scratch.get();
        try {
            // reconfiguring flushes what a failed write left in the encoder, so the position is reset after it
            out.encoder = EncoderFactory.get().binaryEncoder(out, out.encoder);
            out.size = WireFormat.HEADER_LENGTH;
            ((SpecificDatumWriter<T>) l.writer()).write(record, out.encoder);
            out.encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        byte[] bytes = Arrays.copyOf(out.buf, out.size);
        WireFormat.writeHeader(bytes, l.id());
        return bytes;
    }
}
