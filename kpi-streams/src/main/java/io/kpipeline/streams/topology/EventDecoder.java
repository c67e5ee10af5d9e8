package io.kpipeline.streams.topology;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.DeadLetter;
import io.kpipeline.schemas.event.EventRules;
import io.kpipeline.schemas.serde.AvroDeserializer;
import io.kpipeline.schemas.event.InvalidEventException;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Decodes {@code crm-events} records (wire-format Avro) and checks them against the contract. What cannot be
 * applied becomes a {@link DeadLetter} naming why, with the record's coordinates and bytes; nothing next to it
 * is held back.
 */
final class EventDecoder implements FixedKeyProcessor<byte[], byte[], Object> {
    private final AvroDeserializer<CrmEvent> deserializer;
    private final EngineCounters counters;
    private FixedKeyProcessorContext<byte[], Object> context;

    EventDecoder(AvroDeserializer<CrmEvent> deserializer, EngineCounters counters) {
        this.deserializer = deserializer;
        this.counters = counters;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Object> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("crm-events");
        try {
            if (record.value() == null) {
                throw new InvalidEventException("INVALID_AVRO", "record has no value (a tombstone is not an event)");
            }
            CrmEvent event;
            try {
                event = deserializer.deserialize(topic, record.value());
            } catch (RuntimeException e) {
                throw new InvalidEventException("INVALID_AVRO", "not a readable Avro event: " + e.getMessage());
            }
            EventRules.check(event);
            if (deserializer.writtenWithReaderSchema(record.value())) {
                EventBodies.passing(event, record.value());
            }
            try {
                context.forward(record.withValue(event));
            } finally {
                EventBodies.passed();
            }
        } catch (InvalidEventException e) {
            counters.rejected(e.reasonCode());
            RecordMetadata meta = context.recordMetadata().orElse(null);
            context.forward(record.withValue(new DeadLetter(e.getMessage(), e.reasonCode(), "kpi-streams", null, null, null,
                    topic, meta == null ? null : meta.partition(), meta == null ? null : meta.offset(),
                    ByteBuffer.wrap(record.value() == null ? new byte[0] : record.value()), Instant.now())));
        }
    }
}
