package io.kpipeline.bench;

import io.kpipeline.app.broker.TopicContents;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the output topics' compression (the {@code output-compression} setting) costs: the points a run published
 * on kpi-updates, written again to a topic per codec as the engine writes them (its producer compresses with lz4,
 * the topic's codec makes the broker recompress), then read back by a plain consumer. Per codec: bytes on disk a
 * point, points a second written (until acknowledged) and read.
 */
final class OutputCompression {
    static final List<String> CODECS = List.of("none", "gzip", "snappy", "lz4", "zstd");

    private OutputCompression() {
    }

    static void measure(String bootstrap, String source, BenchReport report) throws Exception {
        List<ProducerRecord<byte[], byte[]>> points = read(bootstrap, source);
        if (points.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String codec : CODECS) {
                String topic = "bench-output-" + codec;
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG,
                        io.kpipeline.app.config.Settings.topicCompression(codec)))))
                        .all().get(30, TimeUnit.SECONDS);
                double written = write(bootstrap, topic, points);
                long bytes = 0;
                for (var dir : admin.describeLogDirs(List.of(1)).allDescriptions().get(30, TimeUnit.SECONDS).get(1).values()) {
                    ReplicaInfo r = dir.replicaInfos().get(new TopicPartition(topic, 0));
                    bytes += r == null ? 0 : r.size();
                }
                long t0 = System.nanoTime();
                int back = read(bootstrap, topic).size();
                double readRate = back / ((System.nanoTime() - t0) / 1e9);
                String label = "kpi-updates as " + codec;
                report.put(label + ": bytes a point on disk", (double) bytes / points.size(), "bytes");
                report.put(label + ": written (broker compresses)", written, "points/s");
                report.put(label + ": read back", readRate, "points/s");
            }
        }
    }

    private static double write(String bootstrap, String topic, List<ProducerRecord<byte[], byte[]>> points) throws Exception {
        Map<String, Object> props = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> p : points) {
                producer.send(new ProducerRecord<>(topic, p.key(), p.value()));
            }
            producer.flush();
        }
        return points.size() / ((System.nanoTime() - t0) / 1e9);
    }

    private static List<ProducerRecord<byte[], byte[]>> read(String bootstrap, String topic) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        TopicContents.read(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topic, Duration.ofMinutes(5),
                r -> out.add(new ProducerRecord<>(topic, r.key(), r.value())));
        return out;
    }
}
