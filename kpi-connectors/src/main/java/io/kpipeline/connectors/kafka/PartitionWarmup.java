package io.kpipeline.connectors.kafka;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.BitSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends the first records to a freshly created topic one at a time, until every partition has acknowledged one.
 * An idempotent producer that pipelines requests to a partition the broker has not finished creating can have its
 * first request refused (NOT_LEADER) and its second appended; every retry of the first then fails with
 * OUT_OF_ORDER_SEQUENCE until the delivery timeout drops it (KAFKA-15591). Once a partition has acknowledged a
 * write, pipelining to it is safe.
 */
public final class PartitionWarmup {
    private final int partitions;
    private final BitSet acknowledged;
    /** Every partition has acknowledged a record: from now on records go without waiting. */
    private boolean warm;

    public PartitionWarmup(int partitions) {
        this.partitions = partitions;
        this.acknowledged = new BitSet(partitions);
    }

    /**
     * Sends a record: waiting for its acknowledgement until every partition has acknowledged one, then without
     * waiting. {@code callback} hears of each record either way.
     */
    public void send(Producer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record, Callback callback) {
        if (warm) {
            producer.send(record, callback);
            return;
        }
        try {
            RecordMetadata meta = producer.send(record).get(60, TimeUnit.SECONDS);
            acknowledged.set(meta.partition());
            warm = acknowledged.cardinality() >= partitions;
            callback.onCompletion(meta, null);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker refused the first records of " + record.topic() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not acknowledge a record of " + record.topic() + " within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
