package io.kpipeline.bench;

import io.kpipeline.app.cli.ChildJvm;
import io.kpipeline.avro.Alert;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.EventType;
import io.kpipeline.avro.LeadCreated;
import io.kpipeline.schemas.registry.SchemaRegistryClient;
import io.kpipeline.schemas.serde.AvroDeserializer;
import io.kpipeline.schemas.serde.AvroSerializer;
import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.kpi.KpiDefinition;
import io.kpipeline.streams.query.KpiQuery;
import io.kpipeline.streams.time.Grain;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The benchmark's live part, after the backfill: new leads at a sustained rate for a number of seconds and, at the
 * same time, a query load from a second process. Measures freshness (a probe lead's append until a query sees it),
 * query latency under that load and ingest, and alert delay (a probe lead's SLA deadline until its alert is on the
 * alert topic, readable by a read_committed consumer).
 */
final class LivePhase {
    /** Leads of this source have this SLA in the benchmark's engine, so an alert is due seconds after creation. */
    static final String SLA_SOURCE = "bench-sla";
    static final Duration SLA = Duration.ofSeconds(2);
    static final Map<String, String> QUERIES = queries();

    private final String bootstrap;
    private final SchemaRegistryClient registry;
    private final KpiQuery query;
    private final int apiPort;
    private final BenchReport report;

    LivePhase(String bootstrap, SchemaRegistryClient registry, KpiQuery query, int apiPort, BenchReport report) {
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.query = query;
        this.apiPort = apiPort;
        this.report = report;
    }

    private static Map<String, String> queries() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("query: month point (revenue, rep)", "/api/kpis/revenue?dimension=rep&key=R-emea-1&grain=month&from=2026-03&to=2026-03");
        q.put("query: year range by day (leads, team)", "/api/kpis/leads_created?dimension=team&key=T-emea&grain=day&from=2026-01-01&to=2026-12-31");
        q.put("query: month ranking (win_rate, rep)", "/api/kpis/win_rate/ranking?dimension=rep&grain=month&period=2026-03");
        return q;
    }

    /** {@code queryRate}: what the second process asks a second, 0 for as fast as it is answered. */
    void run(int rate, int seconds, int queryRate) throws Exception {
        AtomicBoolean live = new AtomicBoolean(true);
        ChildJvm load = ChildJvm.start(QueryLoad.class, Stream.concat(
                Stream.of("http://localhost:" + apiPort, Integer.toString(seconds), "4", Integer.toString(queryRate)),
                QUERIES.values().stream()).toArray(String[]::new));
        Map<String, Percentiles> latencies = new LinkedHashMap<>();
        QUERIES.keySet().forEach(name -> latencies.put(name, new Percentiles()));
        java.util.concurrent.atomic.AtomicReference<Exception> queryFailure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread queries = new Thread(() -> {
            try {
                measureQueries(latencies, live);
            } catch (Exception e) {
                queryFailure.set(e);
            }
        }, "bench-queries");
        AlertWatch alerts = new AlertWatch();
        Thread alertThread = new Thread(alerts, "bench-alerts");
        alertThread.start();
        alerts.awaitAssigned();
        queries.start();
        Percentiles fresh;
        try {
            fresh = produce(rate, seconds, alerts);
        } finally {
            live.set(false);
        }
        queries.join();
        if (queryFailure.get() != null) {
            load.kill();
            throw new IllegalStateException("query latency: " + queryFailure.get().getMessage(), queryFailure.get());
        }
        Map<String, Double> loadFigures = load.results();
        alerts.finish(SLA.plusSeconds(10));
        alertThread.join();
        report.put("freshness at " + rate + " events/s p50 (append to visible)", fresh.millis(50), "ms");
        report.put("freshness at " + rate + " events/s p99", fresh.millis(99), "ms");
        for (var e : latencies.entrySet()) {
            report.put(e.getKey() + " p50", e.getValue().millis(50), "ms");
            report.put(e.getKey() + " p99", e.getValue().millis(99), "ms");
        }
        report.put("concurrent query load asked (0: as fast as answered)", queryRate, "queries/s");
        report.put("concurrent query load (second process, 4 connections)", loadFigures.getOrDefault(QueryLoad.RATE, 0.0), "queries/s");
        if (loadFigures.getOrDefault(QueryLoad.ERRORS, 0.0) > 0) {
            throw new IllegalStateException(loadFigures.get(QueryLoad.ERRORS).longValue() + " queries of the concurrent load were not answered 200");
        }
        if (alerts.delays.count() < alerts.expected()) {
            throw new IllegalStateException("only " + alerts.delays.count() + " of " + alerts.expected() + " SLA alerts arrived");
        }
        report.put("alert delay p50 (deadline to alert on topic)", alerts.delays.millis(50), "ms");
        report.put("alert delay p99", alerts.delays.millis(99), "ms");
    }

    /**
     * New leads at {@code rate} a second; once a second one is a freshness probe with a source of its own (waited
     * for until a query sees it) and one an SLA probe that nobody contacts.
     */
    private Percentiles produce(int rate, int seconds, AlertWatch alerts) throws Exception {
        AvroSerializer<CrmEvent> serializer = new AvroSerializer<>(registry, false);
        Map<String, Object> config = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5);
        Percentiles fresh = new Percentiles();
        KpiDefinition leads = KpiQuery.kpi("leads_created");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            long sent = 0;
            for (int second = 0; second < seconds; second++) {
                String probe = "probe-" + System.nanoTime();
                for (int i = 0; i < rate; i++) {
                    long due = start + (long) ((sent * 1e9) / rate);
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                    boolean isProbe = i == rate / 2;
                    boolean slaProbe = i == 0;
                    Instant now = Instant.now();
                    String leadId = "LL-" + sent;
                    String source = isProbe ? probe : slaProbe ? SLA_SOURCE : "live";
                    CrmEvent e = new CrmEvent("live-" + sent, EventType.LeadCreated, now, "bench",
                            new LeadCreated(leadId, "R-live", "T-live", "EMEA", "SMB", source, null));
                    if (slaProbe) {
                        alerts.expect(leadId);
                    }
                    producer.send(new ProducerRecord<>("crm-events", ("lead:" + leadId).getBytes(StandardCharsets.UTF_8),
                            serializer.serialize("crm-events", e)));
                    sent++;
                    if (isProbe) {
                        producer.flush();
                        long probeSentAt = System.nanoTime();
                        int day = Grain.DAY.ordinalOf(now.atZone(ZoneOffset.UTC).toLocalDate());
                        waitVisible(leads, probe, day, probeSentAt, fresh);
                    }
                }
            }
        }
        return fresh;
    }

    private void waitVisible(KpiDefinition kpi, String key, int day, long sentAt, Percentiles into) throws InterruptedException {
        long deadline = sentAt + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (query.point(kpi, Dimension.SOURCE, key, Grain.DAY, day).hasNonNull("value")) {
                into.recordNanos(System.nanoTime() - sentAt);
                return;
            }
            Thread.sleep(5);
        }
        into.recordNanos(30_000_000_000L);
    }

    /** The three queries in turn over HTTP while the live phase lasts; the first 20 of each warm up. */
    private void measureQueries(Map<String, Percentiles> into, AtomicBoolean live) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> names = new ArrayList<>(QUERIES.keySet());
        for (int i = 0; live.get(); i++) {
            String name = names.get(i % names.size());
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + apiPort + QUERIES.get(name))).build();
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(QUERIES.get(name) + " answered " + r.statusCode() + ": " + r.body());
            }
            if (i >= 20 * names.size()) {
                into.get(name).recordNanos(System.nanoTime() - t);
            }
        }
    }

    /** Reads the alert topic from its end and records, for each expected probe lead, its alert's delay. */
    private final class AlertWatch implements Runnable {
        final Percentiles delays = new Percentiles();
        private final Set<String> expected = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final Set<String> seen = new HashSet<>();
        private final java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);
        private volatile long stopAt = Long.MAX_VALUE;

        void expect(String leadId) {
            expected.add(leadId);
        }

        int expected() {
            return expected.size();
        }

        void awaitAssigned() throws InterruptedException {
            assigned.await();
        }

        /** Stops once every expected alert arrived, or after {@code grace}. */
        void finish(Duration grace) {
            stopAt = System.nanoTime() + grace.toNanos();
        }

        @Override
        public void run() {
            AvroDeserializer<Alert> deserializer = new AvroDeserializer<>(registry, Alert.class);
            Map<String, Object> config = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor("kpi-alerts").stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                assigned.countDown();
                while (System.nanoTime() < stopAt && !(stopAt != Long.MAX_VALUE && seen.containsAll(expected))) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        long arrived = System.currentTimeMillis();
                        Alert alert = deserializer.deserialize("kpi-alerts", r.value());
                        if (SLA_SOURCE.equals(alert.getSource()) && alert.getDeadline() != null && seen.add(alert.getLeadId())) {
                            delays.recordNanos((arrived - alert.getDeadline().toEpochMilli()) * 1_000_000L);
                        }
                    }
                }
            } finally {
                assigned.countDown();
            }
        }
    }
}
