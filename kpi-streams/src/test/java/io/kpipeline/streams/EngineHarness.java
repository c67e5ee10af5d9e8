package io.kpipeline.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.DeadLetter;
import io.kpipeline.avro.KpiPoint;
import io.kpipeline.schemas.event.EntityKey;
import io.kpipeline.schemas.event.EventJson;
import io.kpipeline.schemas.registry.SchemaRegistryCore;
import io.kpipeline.schemas.serde.AvroDeserializer;
import io.kpipeline.schemas.serde.AvroSerializer;
import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.query.KpiQuery;
import io.kpipeline.streams.aggregate.StoreSeriesReader;
import io.kpipeline.streams.time.Grain;
import io.kpipeline.streams.topology.EngineCounters;
import io.kpipeline.streams.topology.KpiTopology;
import io.kpipeline.streams.topology.Stores;
import io.kpipeline.streams.topology.TopicNames;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

/** Runs the real topology in a {@link TopologyTestDriver} and queries it the way the HTTP API does. */
public final class EngineHarness implements AutoCloseable {
    public final TopologyTestDriver driver;
    public final EngineCounters counters = new EngineCounters();
    private final TestInputTopic<byte[], byte[]> input;
    private final TestOutputTopic<byte[], DeadLetter> dlq;
    private final TestOutputTopic<String, KpiPoint> updates;
    private final TestOutputTopic<String, io.kpipeline.avro.Alert> alerts;
    private final AvroSerializer<CrmEvent> serializer;
    private final KpiQuery query;
    private final Path stateDir;

    /** One event as a contract JSON line: envelope plus the type's fields (given as JSON members). */
    public static String event(String id, String type, String at, String fields) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"" + type + "\",\"occurredAt\":\"" + at + "\"," + fields + "}";
    }

    public EngineHarness() {
        this(EngineSettings.defaults());
    }

    public EngineHarness(EngineSettings settings) {
        this(settings, io.kpipeline.streams.alerts.AlertSettings.defaults());
    }

    public EngineHarness(EngineSettings settings, io.kpipeline.streams.alerts.AlertSettings alerting) {
        this(settings, alerting, 1);
    }

    /** With {@code eventPartitions} above one, events take the repartition path of a multi-partition crm-events. */
    public EngineHarness(EngineSettings settings, io.kpipeline.streams.alerts.AlertSettings alerting, int eventPartitions) {
        SchemaRegistryCore registry = SchemaRegistryCore.inMemory();
        serializer = new AvroSerializer<>(registry, false);
        try {
            stateDir = Files.createTempDirectory("kpi-ttd");
        } catch (java.io.IOException e) {
            throw new RuntimeException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "kpi-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(KpiTopology.build(TopicNames.DEFAULT, registry, settings, counters, Duration.ofSeconds(1),
                alerting, new io.kpipeline.streams.alerts.AlertCounters(), eventPartitions, KpiTopology.DEFAULT_ASSEMBLY_WAIT), props);
        input = driver.createInputTopic("crm-events", new ByteArraySerializer(), new ByteArraySerializer());
        dlq = driver.createOutputTopic("crm-events-dlq", new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new AvroDeserializer<>(registry, DeadLetter.class));
        updates = driver.createOutputTopic("kpi-updates", new StringDeserializer(), new AvroDeserializer<>(registry, KpiPoint.class));
        alerts = driver.createOutputTopic("kpi-alerts", new StringDeserializer(), new AvroDeserializer<>(registry, io.kpipeline.avro.Alert.class));
        query = new KpiQuery(reader(), settings.calendar(),
                Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC));
    }

    public io.kpipeline.streams.aggregate.SeriesReader reader() {
        return new io.kpipeline.streams.aggregate.RollupSeriesReader(
                new StoreSeriesReader(driver.getKeyValueStore(Stores.AGGREGATES)));
    }

    /** Stored touchpoints the entity stage has read so far (the work that could grow with a lead's history). */
    public long touchRecordsRead() {
        return counters.touchRecordsRead();
    }

    /** Sends events given as contract JSON lines. */
    public EngineHarness send(String... jsonLines) {
        for (String line : jsonLines) {
            CrmEvent e = EventJson.parse(line);
            input.pipeInput(EntityKey.of(e).getBytes(StandardCharsets.UTF_8), serializer.serialize("crm-events", e));
        }
        return this;
    }

    public EngineHarness send(List<String> jsonLines) {
        return send(jsonLines.toArray(String[]::new));
    }

    /** Publishes an exchange rate the way users do, on the rates topic. */
    public void publishRate(String currency, String date, String rate) {
        driver.createInputTopic("kpi-fx-rates", new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())
                .pipeInput(currency, "{\"currency\":\"" + currency + "\",\"date\":\"" + date + "\",\"rate\":\"" + rate + "\"}");
    }

    /** Sends parts of events, as connectors do, to the assembly stage. */
    public EngineHarness sendParts(List<io.kpipeline.schemas.part.EventPart> parts) {
        var topic = driver.createInputTopic(io.kpipeline.schemas.part.EventPart.TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
        for (var p : parts) {
            topic.pipeInput(p.key().getBytes(StandardCharsets.UTF_8), p.toJson());
        }
        return this;
    }

    /** Sends raw bytes as a record value (for bad-input tests). */
    public void sendRaw(byte[] value) {
        input.pipeInput(null, value);
    }

    public List<DeadLetter> deadLetters() {
        return dlq.readValuesToList();
    }

    /**
     * What the publisher sends until nothing waits for publication, and at least in the next two seconds: its chunks
     * run every 100 ms, a round at most every second, and a chunk stops at its budget of the thread's real time
     * (a late event on a cumulative KPI moves thousands of points).
     */
    public List<org.apache.kafka.streams.test.TestRecord<String, KpiPoint>> updates() {
        for (int i = 0; i < 20 || counters.awaitingPublication() > 0 && i < 20_000; i++) {
            driver.advanceWallClockTime(Duration.ofMillis(100));
        }
        return updates.readRecordsToList();
    }

    /** Alerts published since the last call. */
    public List<io.kpipeline.avro.Alert> alerts() {
        return alerts.readValuesToList();
    }

    /** Moves the driver's wall clock (punctuators fire). */
    public void advance(Duration d) {
        driver.advanceWallClockTime(d);
    }

    public KpiQuery query() {
        return query;
    }

    /** One point of a KPI: dimension "company" ignores key. */
    public ObjectNode point(String kpi, String dimension, String key, String grain, String period) {
        Grain g = Grain.byId(grain);
        var k = KpiQuery.kpi(kpi);
        return query.point(k, Dimension.byId(dimension), dimension.equals("company") ? "" : key, g, g == Grain.CURRENT ? 0 : g.parse(period));
    }

    public Double value(String kpi, String dimension, String key, String grain, String period) {
        var p = point(kpi, dimension, key, grain, period);
        return p.hasNonNull("value") ? p.get("value").asDouble() : null;
    }

    @Override
    public void close() {
        driver.close();
    }
}
