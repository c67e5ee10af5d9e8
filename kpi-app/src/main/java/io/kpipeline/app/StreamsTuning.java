package io.kpipeline.app;

import io.kpipeline.streams.store.RocksDbTuning;
import io.kpipeline.streams.topology.CommitPacer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.util.Properties;

/** The client settings the engine runs with, in the pipeline and in the benchmark that measures it. */
public final class StreamsTuning {
    private StreamsTuning() {
    }

    public static Properties apply(Properties p) {
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        // The entity stage reads events and facts, so its tasks have two input partitions; Kafka Streams would hold
        // a task back until both have data or are known to be caught up, which orders records by time across them.
        // Nothing here depends on that order (facts are latest-wins, an entity's events are ordered by occurredAt),
        // so a task processes whatever has arrived.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        // changelog records are small and many: batches of up to 256 KB (not 16) and lz4 halve what the stream
        // thread spends appending them
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 20);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbTuning.class);
        return p;
    }

    /**
     * Commits every {@code keepingUp} while the engine keeps up and every {@code backlog} while records wait (see
     * {@link CommitPacer}): a commit costs a backfill time per record when it comes often, and a live event waits for
     * the next one before it is visible.
     */
    public static Properties commitIntervals(Properties p, Duration keepingUp, Duration backlog) {
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Math.max(keepingUp.toMillis(), backlog.toMillis()));
        p.put(CommitPacer.KEEPING_UP_COMMIT_MS, keepingUp.toMillis());
        return p;
    }
}
