package io.kpipeline.streams.topology;

import io.kpipeline.streams.store.StoreCodec;
import io.kpipeline.avro.Alert;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.streams.alerts.AlertCounters;
import io.kpipeline.streams.alerts.AlertSettings;
import io.kpipeline.streams.alerts.RepAlertProcessor;
import io.kpipeline.streams.alerts.RepResponse;
import io.kpipeline.streams.alerts.SlaAlertProcessor;
import io.kpipeline.avro.DeadLetter;
import io.kpipeline.avro.KpiPoint;
import io.kpipeline.schemas.registry.SchemaRegistryClient;
import io.kpipeline.schemas.serde.AvroDeserializer;
import io.kpipeline.schemas.serde.AvroSerdes;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.event.CrmEventSerde;
import io.kpipeline.streams.aggregate.AggregateWriter;
import io.kpipeline.streams.assembly.PartAssemblyProcessor;
import io.kpipeline.streams.entity.EntityFacts;
import io.kpipeline.streams.entity.EntityRecord;
import io.kpipeline.streams.facts.FactsMessage;
import io.kpipeline.streams.event.EventCodec;
import io.kpipeline.streams.store.WriteBehindStoreBuilder;
import org.apache.kafka.common.serialization.Serdes;
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
 * crm-events ─ decode ─┬─ invalid ──────────────────────────────────────────────────────────► crm-events-dlq
 *                      └─ valid ─ key by entity ─┬─ on its entity's partition already ──────────┐
 *                                                └─ keyed otherwise ─ [entity-events repartition] ┤
 *      ┌──────────────────────────────────────────────────────────────────────────────────────────┘
 *      ├─ sla-alerts (lead deadlines, wall-clock punctuator) ─────────────────────────────────► kpi-alerts
 *      │    └─ first responses, keyed by rep ─ [rep-responses repartition] ─ rep-alerts (rolling window) ─► kpi-alerts
 *      └─ kpi-entities (entity stage: events, folded state, contributions) ◄── entity-facts ◄┐
 *           ├─ facts for linked entities, keyed by the reader ─────────────────────────────────┘
 *           ├─ too late, no rate ──────────────────────────────────────────────────────────────► crm-events-dlq
 *           └─ contribution deltas, summed per commit ─ [kpi-deltas repartition, by dimension|key]
 *                ─ kpi-aggregates (aggregate stage: calendar parts, queries, publisher) ────────► kpi-updates
 *
 * crm-event-parts ─ assemble-parts (touchpoints from engagements, churn from subscriptions) ─┬─► crm-events
 *                                                                                            └─► crm-events-dlq
 * </pre>
 * Each stage runs as one task per partition. An entity reads only its own events and the latest facts its linked
 * entities sent it, so its contributions do not depend on which task holds it; every KPI of one dimension key lives
 * in one aggregate task, so a point query has one owner. An event that a producer keyed by its entity (as every
 * connector here does) is read where it stands; only the others take the entity events' repartition (a second trip
 * through the broker and a commit before they are applied).
 */
public final class KpiTopology {
    private KpiTopology() {
    }

    public static Topology build(TopicNames topics, SchemaRegistryClient registry, EngineSettings settings,
                                 EngineCounters counters, Duration publishInterval, int eventPartitions) {
        return build(topics, registry, settings, counters, publishInterval, AlertSettings.defaults(), new AlertCounters(), eventPartitions,
                DEFAULT_ASSEMBLY_WAIT);
    }

    /** How long a touchpoint may wait for its last part before it is dead-lettered as incomplete, unless configured. */
    public static final Duration DEFAULT_ASSEMBLY_WAIT = Duration.ofHours(1);

    /**
     * The topology for a {@code crm-events} topic of {@code eventPartitions} partitions; both stages and the facts
     * topic have as many.
     */
    public static Topology build(TopicNames topics, SchemaRegistryClient registry, EngineSettings settings,
                                 EngineCounters counters, Duration publishInterval, AlertSettings alerting, AlertCounters alertCounters,
                                 int eventPartitions, Duration assemblyWait) {
        StreamsBuilder builder = new StreamsBuilder();
        StreamClock clock = new StreamClock();
        counters.streamClock(clock);
        for (StoreBuilder<?> store : storeBuilders(eventPartitions)) {
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

        Map<String, KStream<String, Object>> placed = decoded.get("decoded-valid")
                .process(() -> new KeyByEntity(eventPartitions), Named.as("key-by-entity"))
                .split(Named.as("placed-"))
                .branch((k, v) -> v instanceof CrmEvent, Branched.as("in-place"))
                .defaultBranch(Branched.as("misplaced"));
        KStream<String, CrmEvent> entityEvents = placed.get("placed-in-place").mapValues(v -> (CrmEvent) v, Named.as("as-event"));
        if (eventPartitions > 1) {
            entityEvents = entityEvents.merge(placed.get("placed-misplaced")
                    .mapValues(v -> ((KeyByEntity.Misplaced) v).event(), Named.as("as-misplaced-event"))
                    .repartition(Repartitioned.with(Serdes.String(), new CrmEventSerde()).withName("entity-events")
                            .withNumberOfPartitions(eventPartitions)), Named.as("placed-and-repartitioned"));
        }
        var alertSerde = AvroSerdes.value(registry, Alert.class);
        Map<String, KStream<String, Object>> sla = entityEvents
                .process(() -> new SlaAlertProcessor(settings, alerting, alertCounters), Named.as("sla-alerts"),
                        SlaAlertProcessor.LEADS_STORE, SlaAlertProcessor.DEADLINES_STORE, SlaAlertProcessor.ALERTS_STORE)
                .split(Named.as("sla-out-"))
                .branch((k, v) -> v instanceof Alert, Branched.as("alerts"))
                .defaultBranch(Branched.as("responses"));
        sla.get("sla-out-alerts").mapValues(v -> (Alert) v, Named.as("as-alert"))
                .to(topics.alerts(), Produced.with(Serdes.String(), alertSerde).withName("kpi-alerts-sink"));
        sla.get("sla-out-responses").mapValues(v -> ((RepResponse) v).toBytes(), Named.as("encode-rep-responses"))
                .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("rep-responses").withNumberOfPartitions(eventPartitions))
                .mapValues(RepResponse::fromBytes, Named.as("decode-rep-responses"))
                .process(() -> new RepAlertProcessor(alerting, alertCounters), Named.as("rep-alerts"),
                        SlaAlertProcessor.REPS_STORE, RepAlertProcessor.REP_ALERTS_STORE)
                .to(topics.alerts(), Produced.with(Serdes.String(), alertSerde).withName("rep-alerts-sink"));

        EventCodec eventCodec = EventCodec.registered(registry, topics.events() + "-value");
        KStream<String, Object> facts = builder
                .stream(topics.entityFacts(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("entity-facts-source"))
                .mapValues(FactsMessage::fromBytes, Named.as("decode-facts"));
        KStream<String, Object> entityOut = entityEvents
                .mapValues(v -> (Object) v, Named.as("as-entity-input"))
                .merge(facts, Named.as("events-and-facts"))
                .process(() -> new EntityStageProcessor(settings, counters, clock, eventCodec), Named.as("kpi-entities"),
                        Stores.ENTITIES, Stores.ENTITY_FACTS, Stores.TOUCHES, Stores.META);
        Map<String, KStream<String, Object>> out = entityOut.split(Named.as("entities-"))
                .branch((k, v) -> v instanceof FactsMessage, Branched.as("facts"))
                .branch((k, v) -> v instanceof Deltas, Branched.as("deltas"))
                .defaultBranch(Branched.as("rejected"));
        out.get("entities-facts").mapValues(v -> ((FactsMessage) v).toBytes(), Named.as("encode-facts"))
                .to(topics.entityFacts(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("entity-facts-sink"));
        out.get("entities-rejected").mapValues(v -> (DeadLetter) v, Named.as("as-engine-dead-letter"))
                .to(topics.deadLetters(), Produced.with(Serdes.String(), deadLetterSerde).withName("engine-dead-letters-sink"));
        out.get("entities-deltas").mapValues(v -> ((Deltas) v).bytes(), Named.as("encode-deltas"))
                .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("kpi-deltas").withNumberOfPartitions(eventPartitions))
                .process(() -> new AggregateStageProcessor(settings, counters, publishInterval), Named.as("kpi-aggregates"),
                        Stores.AGGREGATES, Stores.MARKS)
                .mapValues(v -> (KpiPoint) v, Named.as("as-point"))
                .to(topics.kpiUpdates(), Produced.with(Serdes.String(), pointSerde).withName("kpi-updates-sink"));
        if (topics.parts() != null) {
            assembly(builder, topics, registry, deadLetterSerde, assemblyWait);
        }
        return builder.build();
    }

    /**
     * The assembly stage, a sub-topology of its own: parts of events (an engagement's, a subscription's) folded per
     * key into the canonical events they make, written to {@code crm-events} like any connector's.
     */
    private static void assembly(StreamsBuilder builder, TopicNames topics, SchemaRegistryClient registry,
                                 org.apache.kafka.common.serialization.Serde<DeadLetter> deadLetterSerde, Duration wait) {
        builder.addStateStore(kv(PartAssemblyProcessor.STATE_STORE, Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(kv(PartAssemblyProcessor.WAITING_STORE, Serdes.String(), Serdes.Long()));
        Map<String, KStream<String, Object>> assembled = builder
                .stream(topics.parts(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("event-parts-source"))
                .process(() -> new PartAssemblyProcessor(wait), Named.as("assemble-parts"),
                        PartAssemblyProcessor.STATE_STORE, PartAssemblyProcessor.WAITING_STORE)
                .split(Named.as("assembled-"))
                .branch((k, v) -> v instanceof CrmEvent, Branched.as("events"))
                .defaultBranch(Branched.as("rejected"));
        assembled.get("assembled-events").mapValues(v -> (CrmEvent) v, Named.as("as-assembled-event"))
                .to(topics.events(), Produced.with(Serdes.String(), AvroSerdes.value(registry, CrmEvent.class)).withName("assembled-events-sink"));
        assembled.get("assembled-rejected").mapValues(v -> (DeadLetter) v, Named.as("as-assembly-dead-letter"))
                .to(topics.deadLetters(), Produced.with(Serdes.String(), deadLetterSerde).withName("assembly-dead-letters-sink"));
    }

    /** The topic the aggregate stage reads, under an application id: one task per partition. */
    public static String aggregateInput(String applicationId) {
        return applicationId + "-kpi-deltas-repartition";
    }

    /** The topic the rep alerts read the first responses of their reps' leads from, under an application id. */
    public static String repInput(String applicationId) {
        return applicationId + "-rep-responses-repartition";
    }

    /** A topic every task of the entity stage (and the lead alerts) reads: its partitions name the tasks. */
    public static String entityInput() {
        return TopicNames.DEFAULT.events();
    }

    /** The stores of one task of a single-partition engine. */
    static java.util.List<StoreBuilder<?>> storeBuilders() {
        return storeBuilders(1);
    }

    /**
     * The stores, their write-behind caches bounded per task so that the {@code partitions} tasks of each stage
     * together hold what one task of a single-partition engine would: entries held decoded on the heap are what the
     * garbage collector traces and copies, and bounds per task that ignored the partitions let eight tasks hold
     * eight times as much.
     */
    static java.util.List<StoreBuilder<?>> storeBuilders(int partitions) {
        var s = Serdes.String();
        var b = Serdes.ByteArray();
        var l = Serdes.Long();
        return java.util.List.of(
                kv(Stores.META, s, l),
                new WriteBehindStoreBuilder<>(SlaAlertProcessor.LEADS_STORE, StoreCodec.BYTES, perTask(500_000, partitions)),
                kv(SlaAlertProcessor.DEADLINES_STORE, s, b),
                kv(SlaAlertProcessor.ALERTS_STORE, s, b), kv(SlaAlertProcessor.REPS_STORE, s, b), kv(RepAlertProcessor.REP_ALERTS_STORE, s, b),
                new WriteBehindStoreBuilder<>(Stores.ENTITIES, EntityRecord.CODEC, perTask(500_000, partitions)),
                new WriteBehindStoreBuilder<>(Stores.ENTITY_FACTS, EntityFacts.CODEC, perTask(500_000, partitions)),
                new WriteBehindStoreBuilder<>(Stores.TOUCHES, StoreCodec.BYTES, perTask(200_000, partitions)),
                new WriteBehindStoreBuilder<>(Stores.AGGREGATES, AggregateWriter.PARTS, perTask(1_200_000, partitions)),
                org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                        org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.MARKS), s, b).withCachingDisabled());
    }

    private static int perTask(int entries, int partitions) {
        return Math.max(10_000, entries / Math.max(1, partitions));
    }

    private static <V> StoreBuilder<?> kv(String name, org.apache.kafka.common.serialization.Serde<String> k,
                                          org.apache.kafka.common.serialization.Serde<V> v) {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name), k, v).withCachingEnabled();
    }
}
