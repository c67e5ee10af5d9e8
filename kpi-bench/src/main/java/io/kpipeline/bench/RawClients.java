package io.kpipeline.bench;

import io.kpipeline.connectors.kafka.PartitionWarmup;
import io.kpipeline.connectors.kafka.ProducerTuning;
import io.kpipeline.schemas.event.EntityKey;
import io.kpipeline.schemas.event.EventJson;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** The raw baselines: a plain producer and consumer moving the history's records, nothing computed. */
final class RawClients {
    private RawClients() {
    }

    static double produce(String bootstrap, Path records, String topic, int partitions) {
        Map<String, Object> config = ProducerTuning.bulk(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            PartitionWarmup warmup = new PartitionWarmup(partitions);
            SimulatedHistory.replay(records, (key, value) -> {
                sent.incrementAndGet();
                warmup.send(producer, new ProducerRecord<>(topic, key, value), (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            });
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the broker refused records of " + topic + ": " + failure.get().getMessage(), failure.get());
        }
        return sent.get() / Gauges.seconds(start);
    }

    static double consume(String bootstrap, String topic, long n) {
        Map<String, Object> config = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long seen = 0;
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (seen < n) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                seen += batch.count();
            }
        }
        return n / Gauges.seconds(start);
    }

    /** Sends each JSON line as it is, keyed by its entity as the importer keys it: the JSON baseline's input. */
    static void produceLines(String bootstrap, Path lines, String topic) throws IOException {
        Map<String, Object> config = ProducerTuning.bulk(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
             Stream<String> each = Files.lines(lines)) {
            each.forEach(line -> producer.send(new ProducerRecord<>(topic, EntityKey.of(EventJson.parse(line)).getBytes(StandardCharsets.UTF_8),
                    line.getBytes(StandardCharsets.UTF_8))));
            producer.flush();
        }
    }
}
