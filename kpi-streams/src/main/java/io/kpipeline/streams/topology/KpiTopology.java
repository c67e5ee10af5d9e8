package io.kpipeline.streams.topology;

import io.kpipeline.avro.Alert;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.streams.alerts.AlertCounters;
import io.kpipeline.streams.alerts.AlertSettings;
import io.kpipeline.streams.alerts.SlaAlertProcessor;
import io.kpipeline.avro.DeadLetter;
import io.kpipeline.avro.KpiPoint;
import io.kpipeline.schemas.event.EntityKey;
import io.kpipeline.schemas.registry.SchemaRegistryClient;
import io.kpipeline.schemas.serde.AvroDeserializer;
import io.kpipeline.schemas.serde.AvroSerdes;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.event.CrmEventSerde;
import io.kpipeline.streams.aggregate.AggregateWriter;
import io.kpipeline.streams.entity.EntityRecord;
import io.kpipeline.streams.store.WriteBehindStore;
import io.kpipeline.streams.store.WriteBehindStoreBuilder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;

import java.time.Duration;
import java.util.Map;

/**
 * Builds the stream topology:
 * <pre>
 * crm-events ─ decode ─┬─ invalid ─────────────────────────────────────────► crm-events-dlq
 *                      └─ valid ─ key by entity ─ [entity-events repartition, 1 partition, when crm-events has more]
 *                                  ─ kpi-engine (entity stores, contributions, aggregates) ─┬► kpi-updates
 *                                                                                           └► crm-events-dlq (too late, no rate)
 *                                  ─ sla-alerts (deadlines, wall-clock punctuator) ─► kpi-alerts
 * </pre>
 * The engine runs as one task: cross-entity facts (a deal's source lead, a lead's won deal) are then plain store
 * reads, which keeps corrections exact whichever side changes. Queries read its {@code kpi-aggregates} store.
 * When {@code crm-events} has one partition (the default) its one task is the engine's, and the repartition, a
 * second trip of every event through the broker and a second commit before it is applied, is left out.
 */
public final class KpiTopology {
    private KpiTopology() {
    }

    public static Topology build(TopicNames topics, SchemaRegistryClient registry, EngineSettings settings,
                                 EngineCounters counters, Duration publishInterval, int eventPartitions) {
        return build(topics, registry, settings, counters, publishInterval, AlertSettings.defaults(), new AlertCounters(), eventPartitions);
    }

    /** The topology for a {@code crm-events} topic of {@code eventPartitions} partitions. */
    public static Topology build(TopicNames topics, SchemaRegistryClient registry, EngineSettings settings,
                                 EngineCounters counters, Duration publishInterval, AlertSettings alerting, AlertCounters alertCounters,
                                 int eventPartitions) {
        StreamsBuilder builder = new StreamsBuilder();
        for (StoreBuilder<?> store : storeBuilders()) {
            builder.addStateStore(store);
        }
        builder.addGlobalStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                        org.apache.kafka.streams.state.Stores.persistentKeyValueStore(FxRateUpdater.STORE), Serdes.String(), Serdes.String())
                        .withLoggingDisabled(),
                topics.fxRates(), Consumed.with(Serdes.String(), Serdes.String()).withName("fx-rates-source"), FxRateUpdater::new);
        AvroDeserializer<CrmEvent> eventDeserializer = new AvroDeserializer<>(registry, CrmEvent.class);
        var deadLetterSerde = AvroSerdes.value(registry, DeadLetter.class);
        var pointSerde = AvroSerdes.value(registry, KpiPoint.class);

        Map<String, KStream<byte[], Object>> decoded = builder
                .stream(topics.events(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("crm-events-source"))
                .processValues(() -> new EventDecoder(eventDeserializer, counters), Named.as("decode"))
                .split(Named.as("decoded-"))
                .branch((k, v) -> v instanceof CrmEvent, Branched.as("valid"))
                .defaultBranch(Branched.as("invalid"));
        decoded.get("decoded-invalid")
                .mapValues(v -> (DeadLetter) v, Named.as("as-dead-letter"))
                .to(topics.deadLetters(), Produced.with(Serdes.ByteArray(), deadLetterSerde).withName("dead-letters-sink"));

        KStream<String, CrmEvent> byEntity = decoded.get("decoded-valid")
                .map((k, v) -> KeyValue.pair(EntityKey.of((CrmEvent) v), (CrmEvent) v), Named.as("key-by-entity"));
        KStream<String, CrmEvent> entityEvents = eventPartitions == 1 ? byEntity
                : byEntity.repartition(Repartitioned.with(Serdes.String(), new CrmEventSerde()).withName("entity-events").withNumberOfPartitions(1));
        entityEvents.process(() -> new SlaAlertProcessor(settings, alerting, alertCounters), Named.as("sla-alerts"),
                        SlaAlertProcessor.LEADS_STORE, SlaAlertProcessor.DEADLINES_STORE, SlaAlertProcessor.ALERTS_STORE, SlaAlertProcessor.REPS_STORE)
                .to(topics.alerts(), Produced.with(Serdes.String(), AvroSerdes.value(registry, Alert.class)).withName("kpi-alerts-sink"));
        KStream<String, Object> engineOut = entityEvents
                .process(() -> new KpiEngineProcessor(settings, counters, publishInterval), Named.as("kpi-engine"),
                        Stores.ENTITIES, Stores.ENTITY_LINKS, Stores.AGGREGATES,
                        Stores.MARKS, Stores.META);
        Map<String, KStream<String, Object>> out = engineOut.split(Named.as("engine-"))
                .branch((k, v) -> v instanceof KpiPoint, Branched.as("points"))
                .defaultBranch(Branched.as("rejected"));
        out.get("engine-points").mapValues(v -> (KpiPoint) v, Named.as("as-point"))
                .to(topics.kpiUpdates(), Produced.with(Serdes.String(), pointSerde).withName("kpi-updates-sink"));
        out.get("engine-rejected").mapValues(v -> (DeadLetter) v, Named.as("as-engine-dead-letter"))
                .to(topics.deadLetters(), Produced.with(Serdes.String(), deadLetterSerde).withName("engine-dead-letters-sink"));
        return builder.build();
    }

    static java.util.List<StoreBuilder<?>> storeBuilders() {
        var s = Serdes.String();
        var b = Serdes.ByteArray();
        var l = Serdes.Long();
        return java.util.List.of(
                kv(Stores.META, s, l),
                new WriteBehindStoreBuilder<>(SlaAlertProcessor.LEADS_STORE, WriteBehindStore.BYTES, 500_000),
                kv(SlaAlertProcessor.DEADLINES_STORE, s, b),
                kv(SlaAlertProcessor.ALERTS_STORE, s, b), kv(SlaAlertProcessor.REPS_STORE, s, b),
                new WriteBehindStoreBuilder<>(Stores.ENTITIES, EntityRecord.CODEC, 500_000),
                new WriteBehindStoreBuilder<>(Stores.ENTITY_LINKS, WriteBehindStore.BYTES, 500_000),
                new WriteBehindStoreBuilder<>(Stores.AGGREGATES, AggregateWriter.PARTS, 1_200_000),
                org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                        org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.MARKS), s, b).withCachingDisabled());
    }

    private static <V> StoreBuilder<?> kv(String name, org.apache.kafka.common.serialization.Serde<String> k,
                                          org.apache.kafka.common.serialization.Serde<V> v) {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name), k, v).withCachingEnabled();
    }
}
