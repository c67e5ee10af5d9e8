package io.kpipeline.connectors.kafka;

import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * The producer settings for bulk sends, shared by every connector and by the benchmarks' raw baselines so that
 * they compare like with like: durable (acks=all, idempotent), lz4, 20 ms linger, 256 KB batches.
 */
public final class ProducerTuning {
    private ProducerTuning() {
    }

    /** {@code clientConfig} with the bulk settings added where it does not set them. */
    public static Map<String, Object> bulk(Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        return config;
    }
}
