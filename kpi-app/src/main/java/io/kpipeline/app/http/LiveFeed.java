package io.kpipeline.app.http;

import io.kpipeline.avro.Alert;
import io.kpipeline.avro.KpiPoint;
import io.kpipeline.schemas.registry.SchemaRegistryClient;
import io.kpipeline.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Follows {@code kpi-updates} and {@code kpi-alerts} from their ends (read-committed, no consumer group: every
 * instance serves its own clients) and hands each record to the SSE hubs.
 */
public final class LiveFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroDeserializer<KpiPoint> points;
    private final AvroDeserializer<Alert> alerts;
    private final SseHub<KpiPoint> pointHub;
    private final SseHub<Alert> alertHub;
    private final LongConsumer freshness;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param client    Kafka client settings (bootstrap servers, security)
     * @param freshness receives, per KPI update, the milliseconds from its publication to its arrival here
     */
    public LiveFeed(Map<String, Object> client, SchemaRegistryClient registry, SseHub<KpiPoint> pointHub, SseHub<Alert> alertHub,
                    LongConsumer freshness) {
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.putAll(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, CommonClientConfigs.CLIENT_ID_CONFIG, "kpi-live-feed"));
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.points = new AvroDeserializer<>(registry, KpiPoint.class);
        this.alerts = new AvroDeserializer<>(registry, Alert.class);
        this.pointHub = pointHub;
        this.alertHub = alertHub;
        this.freshness = freshness;
        this.thread = new Thread(this::run, "kpi-live-feed");
        thread.setDaemon(true);
    }

    public LiveFeed start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of("kpi-updates", "kpi-alerts")) {
                for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        if (r.topic().equals("kpi-updates")) {
                            KpiPoint p = points.deserialize(r.topic(), r.value());
                            freshness.accept(System.currentTimeMillis() - r.timestamp());
                            pointHub.publish(p);
                        } else {
                            Alert a = alerts.deserialize(r.topic(), r.value());
                            alertHub.publish(a);
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("skipping an unreadable record on {}: {}", r.topic(), e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.warn("live feed stopped: {}", e.toString());
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
