package io.kpipeline.connectors.kafka;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.DeadLetter;
import io.kpipeline.schemas.event.EntityKey;
import io.kpipeline.schemas.event.InvalidEventException;
import io.kpipeline.schemas.part.EventPart;
import io.kpipeline.schemas.registry.SchemaRegistryClient;
import io.kpipeline.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where every connector delivers: valid events to {@code crm-events} keyed by entity, rejected input to the
 * dead-letter topic with its reason. Counts acknowledgements so a caller can tell when everything it sent is
 * durable, and remembers the first send failure.
 */
public final class EventSink implements AutoCloseable {
    private java.util.function.Function<CrmEvent, InvalidEventException> admission = e -> null;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AvroSerializer<CrmEvent> events;
    private final AvroSerializer<DeadLetter> deadLetters;
    private final String eventTopic;
    private final String deadLetterTopic;
    /** the producer's max.request.size: a record over it would fail its send */
    private final int maxRecordBytes;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final Callback callback = (meta, e) -> {
        if (e == null) {
            acked.incrementAndGet();
        } else {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, e);
        }
    };

    public EventSink(Map<String, Object> clientConfig, SchemaRegistryClient registry, String eventTopic, String deadLetterTopic) {
        Map<String, Object> config = ProducerTuning.bulk(clientConfig);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        Object max = config.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        this.maxRecordBytes = max == null ? 1024 * 1024 : Integer.parseInt(max.toString());
        this.events = new AvroSerializer<>(registry, false);
        this.deadLetters = new AvroSerializer<>(registry, false);
        this.eventTopic = eventTopic;
        this.deadLetterTopic = deadLetterTopic;
    }

    public void send(CrmEvent event) {
        send(serialize(event));
    }

    /** An event as its record (key, wire-format value); thread-safe, so callers may serialize in parallel. */
    public ProducerRecord<byte[], byte[]> serialize(CrmEvent event) {
        return new ProducerRecord<>(eventTopic, EntityKey.of(event).getBytes(StandardCharsets.UTF_8), events.serialize(eventTopic, event));
    }

    /** A part as its record on {@value EventPart#TOPIC}. */
    public ProducerRecord<byte[], byte[]> serializePart(EventPart part) {
        return new ProducerRecord<>(EventPart.TOPIC, part.key().getBytes(StandardCharsets.UTF_8), part.toJson());
    }

    /**
     * Why a record cannot be sent (its size over the producer's request limit, which the broker's record limit
     * matches by default); null when it can. Callers refuse such an event in their answer or dead-letter it.
     */
    public InvalidEventException tooLarge(ProducerRecord<byte[], byte[]> record) {
        // a record's overhead in its batch (headers, varints, the batch header) is well under 128 bytes
        long size = (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length) + 128L;
        if (size <= maxRecordBytes) {
            return null;
        }
        return new InvalidEventException("TOO_LARGE", "the event is " + (size - 128) + " bytes as a record, over the record limit of "
                + maxRecordBytes + " bytes (max.request.size)");
    }

    /**
     * What the pipeline will refuse of a valid event besides its size (no exchange rate for its day...), asked
     * before sending so that the sender hears of it in its own answer and can still act on it. Default: nothing.
     */
    public EventSink admitting(java.util.function.Function<CrmEvent, InvalidEventException> admission) {
        this.admission = admission;
        return this;
    }

    /** Why a valid event, serialized as {@code record}, will not be applied: too large, or the admission's reason; null when it will be. */
    public InvalidEventException refusal(CrmEvent event, ProducerRecord<byte[], byte[]> record) {
        InvalidEventException tooLarge = tooLarge(record);
        return tooLarge != null ? tooLarge : admission.apply(event);
    }

    /** Sends events and returns once the broker has acknowledged every one (or throws naming the failure). */
    public void sendDurably(java.util.List<CrmEvent> batch) throws InterruptedException, java.util.concurrent.ExecutionException {
        sendDurably(batch, java.util.List.of());
    }

    /** Sends events and event parts (to {@value EventPart#TOPIC}, keyed by what they are parts of), returning once all are durable. */
    public void sendDurably(java.util.List<CrmEvent> batch, java.util.List<EventPart> parts) throws InterruptedException,
            java.util.concurrent.ExecutionException {
        java.util.List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> acks = new java.util.ArrayList<>();
        for (CrmEvent e : batch) {
            acks.add(producer.send(serialize(e), callback));
        }
        for (EventPart p : parts) {
            acks.add(producer.send(serializePart(p), callback));
        }
        producer.flush();
        for (var ack : acks) {
            ack.get();
        }
    }

    /** Sends a record made by {@link #serialize}. */
    public void send(ProducerRecord<byte[], byte[]> record) {
        producer.send(record, callback);
    }

    /**
     * Sends a rejected input with its reason; {@code file}/{@code line} say where it came from when known. The
     * future completes when the broker has it, for callers that answer only once everything is durable.
     */
    public java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> reject(InvalidEventException reason, String source,
                                                                                                String file, Long line, byte[] raw) {
        // the input is kept whole unless it would make the dead letter itself too large to send
        int keep = maxRecordBytes / 2;
        String message = reason.getMessage() + (raw.length > keep ? " (input truncated to its first " + keep + " of " + raw.length + " bytes)" : "");
        DeadLetter dl = new DeadLetter(message, reason.reasonCode(), source, file, line, null, null, null, null,
                ByteBuffer.wrap(raw, 0, Math.min(raw.length, keep)), Instant.now());
        return producer.send(new ProducerRecord<>(deadLetterTopic, null, deadLetters.serialize(deadLetterTopic, dl)), callback);
    }

    public long acked() {
        return acked.get();
    }

    public long failed() {
        return failed.get();
    }

    public Exception firstFailure() {
        return firstFailure.get();
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
