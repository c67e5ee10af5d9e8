package io.kpipeline.app.cli;

import io.kpipeline.streams.config.FxRates;
import io.kpipeline.streams.topology.FxRateUpdater;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The exchange rates published on the rates topic, read to its end once: what an import checks its events against
 * before sending them, as the engine will (records that are not rates are skipped, as the engine skips them).
 */
final class PublishedRates {
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private PublishedRates() {
    }

    static FxRates.Source read(Map<String, Object> client, String topic) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, NavigableMap<LocalDate, BigDecimal>> rates = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, DEADLINE).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, DEADLINE);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, DEADLINE) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the exchange rates on " + topic + " could not be read within " + DEADLINE.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    FxRateUpdater.Rate rate = r.value() == null ? null : FxRateUpdater.parse(r.value());
                    if (rate != null) {
                        rates.computeIfAbsent(rate.currency(), c -> new TreeMap<>()).put(rate.date(), rate.rate());
                    }
                }
            }
        }
        return (currency, day) -> {
            NavigableMap<LocalDate, BigDecimal> byDay = rates.get(currency);
            Map.Entry<LocalDate, BigDecimal> e = byDay == null ? null : byDay.floorEntry(day);
            return e == null ? null : new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue());
        };
    }
}
