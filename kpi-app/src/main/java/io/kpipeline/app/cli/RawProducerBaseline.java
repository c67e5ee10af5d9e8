package io.kpipeline.app.cli;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline an import is compared with: the same file's lines sent as opaque bytes (no parsing, no Avro) by a
 * producer tuned like the importer's, to a scratch topic on the same broker, acks=all.
 */
final class RawProducerBaseline {
    static final String TOPIC = "kpi-bench-raw";

    private RawProducerBaseline() {
    }

    /** Records per second. */
    static double measure(String bootstrap, Path file, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.deleteTopics(List.of(TOPIC)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception absent) {
            // first run: nothing to delete
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Thread.sleep(500);
            admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> config = io.kpipeline.connectors.kafka.ProducerTuning.bulk(Map.of("bootstrap.servers", bootstrap));
        AtomicLong acked = new AtomicLong();
        long n = 0;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
             BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(TOPIC, Long.toString(n++).getBytes(StandardCharsets.UTF_8), bytes),
                        (m, e) -> { if (e == null) acked.incrementAndGet(); });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.deleteTopics(List.of(TOPIC)).all().get(30, TimeUnit.SECONDS);
        }
        return acked.get() / seconds;
    }
}
