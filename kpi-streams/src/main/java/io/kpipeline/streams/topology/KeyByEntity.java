package io.kpipeline.streams.topology;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.schemas.event.EntityKey;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;

/**
 * Keys each valid event by its entity and says whether it already stands on its entity's partition of
 * {@code crm-events} (where the producer's default partitioner puts a record keyed by the entity key, as every
 * connector of this project keys them): such an event goes straight to the entity stage, any other (a third-party
 * producer's key, or none) through the entity-events repartition to the same task.
 */
final class KeyByEntity implements Processor<byte[], Object, String, Object> {
    /** An event that must be repartitioned to reach its entity's task. */
    record Misplaced(CrmEvent event) {
    }

    private final int partitions;
    private ProcessorContext<String, Object> context;

    KeyByEntity(int partitions) {
        this.partitions = partitions;
    }

    /** The partition the producer's default partitioner gives a record keyed by {@code key} (a String key's bytes). */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], Object> record) {
        CrmEvent event = (CrmEvent) record.value();
        String key = EntityKey.of(event);
        boolean inPlace = partitions == 1 || context.recordMetadata().map(m -> m.partition() == partitionOf(key, partitions)).orElse(false);
        context.forward(record.withKey(key).withValue(inPlace ? event : new Misplaced(event)));
    }
}
