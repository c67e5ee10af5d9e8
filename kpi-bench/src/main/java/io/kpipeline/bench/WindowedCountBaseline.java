package io.kpipeline.bench;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.schemas.event.EventRules;
import io.kpipeline.schemas.registry.SchemaRegistryCore;
import io.kpipeline.schemas.serde.AvroDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The one-stage baseline the engine is compared with, on the events' JSON or on their Avro records. */
final class WindowedCountBaseline {
    private WindowedCountBaseline() {
    }

    /** What a baseline reads of a record: the event's type and the amount it carries in cents (0 for none). */
    interface EventReader {
        KeyValue<String, Long> typeAndCents(byte[] value);
    }

    /** The events' JSON, parsed as platform-notes.md's baseline parses it: a generic JSON tree. */
    static EventReader json() {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        return value -> {
            try {
                com.fasterxml.jackson.databind.JsonNode e = mapper.readTree(value);
                com.fasterxml.jackson.databind.JsonNode amount = e.get("amount");
                return KeyValue.pair(e.get("type").asText(), amount == null ? 0 : cents(amount.asText()));
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        };
    }

    /** The events' Avro records, decoded as the pipeline decodes them. */
    static EventReader avro(SchemaRegistryCore registry) {
        AvroDeserializer<CrmEvent> deserializer = new AvroDeserializer<>(registry, CrmEvent.class);
        return value -> {
            CrmEvent e = deserializer.deserialize("crm-events", value);
            EventRules.Money money = EventRules.moneyOf(e);
            return KeyValue.pair(e.getType().name(), money == null || money.amount() == null ? 0 : cents(money.amount()));
        };
    }

    /**
     * The reference, as platform-notes.md measured it: read each event, re-key it by type, count it and sum its
     * amount per type in 1-day windows, exactly-once. Progress is counted where the windowed aggregate takes a record,
     * after the repartition, as the full topology's is where the engine applies an event.
     */
    static Topology topology(String topic, EventReader reader, AtomicLong seen) {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .map((k, v) -> reader.typeAndCents(v))
                .groupByKey(Grouped.with("by-type", Serdes.String(), Serdes.Long()))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofDays(1), Duration.ofDays(400)))
                .aggregate(() -> new long[2], (type, cents, countAndSum) -> {
                    seen.incrementAndGet();
                    return new long[] {countAndSum[0] + 1, countAndSum[1] + cents};
                }, Materialized.<String, long[], WindowStore<Bytes, byte[]>>as("baseline-counts").withValueSerde(new LongPairSerde()));
        return b.build();
    }

    private static long cents(String decimal) {
        return new java.math.BigDecimal(decimal).movePointRight(2).longValue();
    }

    /** Two longs in 16 bytes: the baseline's count and sum. */
    private static final class LongPairSerde extends Serdes.WrapperSerde<long[]> {
        LongPairSerde() {
            super((topic, v) -> java.nio.ByteBuffer.allocate(16).putLong(v[0]).putLong(v[1]).array(),
                    (topic, bytes) -> {
                        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
                        return new long[] {buffer.getLong(), buffer.getLong()};
                    });
        }
    }
}
