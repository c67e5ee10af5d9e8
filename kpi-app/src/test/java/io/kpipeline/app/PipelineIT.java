package io.kpipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.avro.DeadLetter;
import io.kpipeline.connectors.importer.ImportSummary;
import io.kpipeline.connectors.importer.JsonLinesImporter;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole pipeline on the real embedded broker: import with bad lines, query over HTTP, restart, still there. */
class PipelineIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void importQueryRestart() throws Exception {
        Path file = dir.resolve("events.jsonl");
        List<String> lines = new ArrayList<>(List.of(
                "{\"eventId\":\"e-1\",\"type\":\"LeadCreated\",\"occurredAt\":\"2026-11-02T09:00:00Z\",\"leadId\":\"L-1\",\"repId\":\"R-7\",\"teamId\":\"T-emea\",\"region\":\"EMEA\",\"segment\":\"SMB\",\"source\":\"inbound-web\"}",
                "this is not json",
                "{\"eventId\":\"e-2\",\"type\":\"TouchpointLogged\",\"occurredAt\":\"2026-11-02T09:03:30Z\",\"touchpointId\":\"tp-1\",\"leadId\":\"L-1\",\"repId\":\"R-7\",\"channel\":\"CALL\",\"outcome\":\"POSITIVE\"}",
                "{\"eventId\":\"e-5\",\"type\":\"DealCreated\",\"occurredAt\":\"2026-11-03T10:05:00Z\",\"dealId\":\"D-1\",\"leadId\":\"L-1\",\"stage\":\"discovery\"}",
                "{\"eventId\":\"e-5\",\"type\":\"DealCreated\",\"occurredAt\":\"2026-11-03T10:05:00Z\",\"dealId\":\"D-1\",\"accountId\":\"A-1\",\"leadId\":\"L-1\",\"repId\":\"R-7\",\"product\":\"analytics\",\"stage\":\"discovery\",\"amount\":\"24000.00\",\"currency\":\"EUR\",\"contractMonths\":24}",
                "{\"eventId\":\"e-6\",\"type\":\"DealClosed\",\"occurredAt\":\"2026-11-20T16:00:00Z\",\"dealId\":\"D-1\",\"outcome\":\"WON\"}",
                "{\"eventId\":\"e-6\",\"type\":\"DealClosed\",\"occurredAt\":\"2026-11-20T16:00:00Z\",\"dealId\":\"D-1\",\"outcome\":\"WON\"}"));
        Files.write(file, lines);
        KpiConfig config = config(dir, "kpi-it", List.of());

        try (Pipeline pipeline = new Pipeline(config).start()) {
            awaitUp(pipeline);
            try (EventSink sink = new EventSink(Map.of("bootstrap.servers", pipeline.bootstrapServers()), pipeline.registry(),
                    "crm-events", "crm-events-dlq")) {
                ImportSummary s = new JsonLinesImporter(sink, new PrintStream(PrintStream.nullOutputStream()), false).importFile(file);
                // 7 lines: 5 valid (two are duplicate deliveries), 2 rejected (bad JSON, DealCreated without amount)
                assertThat(s.sent()).isEqualTo(5);
                assertThat(s.rejectedByReason()).containsEntry("INVALID_JSON", 1L).containsEntry("MISSING_FIELD", 1L);
                assertThat(s.ok()).isTrue();
            }
            JsonNode revenue = awaitValue(pipeline, "/api/kpis/revenue?dimension=team&key=T-emea&grain=month&from=2026-11&to=2026-11");
            assertThat(revenue.get("points").get(0).get("value").asDouble()).isEqualTo(24000.0);
            assertThat(deadLetters(pipeline)).extracting(DeadLetter::getReasonCode).containsExactlyInAnyOrder("INVALID_JSON", "MISSING_FIELD");
        }
        // every RocksDB store was opened with RocksDbTuning's compression (Kafka Streams' own default is none)
        assertThat(rocksDbOptions(dir.resolve("data").resolve("streams")))
                .isNotEmpty()
                .allSatisfy((store, options) -> assertThat(options).as(store.toString())
                        .contains("compression=kLZ4Compression").contains("bottommost_compression=kZSTD"));
        try (Pipeline again = new Pipeline(config).start()) {
            awaitUp(again);
            JsonNode cycle = get(again, "/api/kpis/sales_cycle_length?dimension=rep&key=R-7&grain=month&from=2026-11&to=2026-11");
            assertThat(cycle.get("points").get(0).get("value").asDouble()).isEqualTo(1_580_190.0);
        }
    }

    @Test
    @Timeout(180)
    void canonicalWebhookNeedsItsTokenAndAcknowledgesWhatItKept() throws Exception {
        KpiConfig config = config(dir, "kpi-webhook-it", List.of("webhook-token=t0ken"));
        try (Pipeline p = new Pipeline(config).start()) {
            awaitUp(p);
            String body = "[{\"eventId\":\"w1\",\"type\":\"LeadCreated\",\"occurredAt\":\"2026-11-20T10:00:00Z\",\"leadId\":\"W-1\",\"source\":\"web\"},"
                    + "{\"eventId\":\"w2\",\"type\":\"LeadCreated\",\"leadId\":\"W-2\"}]";
            HttpResponse<String> unauthorized = post(p, body, "Bearer wrong");
            assertThat(unauthorized.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(unauthorized.body()).get("error").asText()).contains("token");
            HttpResponse<String> ok = post(p, body, "Bearer t0ken");
            assertThat(ok.statusCode()).isEqualTo(200);
            JsonNode answer = JSON.readTree(ok.body());
            assertThat(answer.get("accepted").asInt()).isEqualTo(1);
            assertThat(answer.get("rejected").get(0).get("reasonCode").asText()).isEqualTo("MISSING_FIELD");
            // a redelivery of the same events changes nothing
            post(p, body, "Bearer t0ken");
            // a body over the HTTP server's default 1 MB but under webhook-max-bytes (10 MB) is read, not refused
            String large = "[{\"eventId\":\"w3\",\"type\":\"LeadCreated\",\"occurredAt\":\"2026-11-20T10:00:00Z\",\"leadId\":\"W-3\","
                    + "\"note\":\"" + "x".repeat(1_500_000) + "\"}]";
            HttpResponse<String> largeAnswer = post(p, large, "Bearer t0ken");
            assertThat(largeAnswer.statusCode()).as(largeAnswer.body()).isEqualTo(200);
            assertThat(JSON.readTree(largeAnswer.body()).get("accepted").asInt()).isEqualTo(1);
            JsonNode leads = awaitValue(p, "/api/kpis/leads_created?dimension=source&key=web&grain=month&from=2026-11&to=2026-11");
            awaitSettled(p);
            leads = get(p, "/api/kpis/leads_created?dimension=source&key=web&grain=month&from=2026-11&to=2026-11");
            assertThat(leads.get("points").get(0).get("value").asInt()).isEqualTo(1);
            assertThat(post(p, "not json", "Bearer t0ken").statusCode()).isEqualTo(400);
        }
    }

    /** The newest OPTIONS file RocksDB wrote for each store under a state directory (numbers are zero-padded). */
    static Map<Path, String> rocksDbOptions(Path stateDir) throws java.io.IOException {
        Map<Path, Path> newest = new java.util.HashMap<>();
        try (java.util.stream.Stream<Path> files = Files.walk(stateDir)) {
            files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-")).forEach(f -> newest.merge(f.getParent(), f,
                    (x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString()) >= 0 ? x : y));
        }
        Map<Path, String> contents = new java.util.HashMap<>();
        for (Map.Entry<Path, Path> e : newest.entrySet()) {
            contents.put(e.getKey(), Files.readString(e.getValue()));
        }
        return contents;
    }

    static HttpResponse<String> post(Pipeline p, String body, String auth) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + p.httpPort() + "/webhooks/events"))
                .header("Authorization", auth).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of a KPI's month point, or null. */
    static Double monthValue(int port, String kpi, String dim, String key, String month) throws Exception {
        String q = "/api/kpis/" + kpi + "?grain=month&from=" + month + "&to=" + month + "&dimension=" + dim
                + (key == null ? "" : "&key=" + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8));
        JsonNode v = get(port, q).get("points").get(0).get("value");
        return v == null || v.isNull() ? null : v.asDouble();
    }

    /**
     * The month value once it equals {@code expected}, or the last one read when a minute passes first: results become
     * visible commit by commit, and a commit may fall between two events of one batch.
     */
    static Double awaitMonthValue(int port, String kpi, String dim, String key, String month, double expected) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        Double v = monthValue(port, kpi, dim, key, month);
        while ((v == null || v != expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
            v = monthValue(port, kpi, dim, key, month);
        }
        return v;
    }

    /** A pipeline on free ports in {@code dir}, with short commit and publish intervals. */
    static KpiConfig config(Path dir, String applicationId, List<String> sets) throws Exception {
        Map<String, String> flags = Map.of("data-dir", dir.resolve("data").toString(), "port", String.valueOf(freePort()),
                "kafka-port", String.valueOf(freePort()), "kafka-controller-port", String.valueOf(freePort()),
                "schema-registry-port", String.valueOf(freePort()), "application-id", applicationId, "partitions", "2",
                "commit-interval", "PT0.2S", "publish-interval", "PT0.2S");
        return KpiConfig.load(null, Map.of(), sets, flags);
    }

    /**
     * A second instance joining {@code first}'s application on its broker and registry, with state of its own in
     * {@code dir} and the given settings.
     */
    static KpiConfig joining(Pipeline first, Path dir, String applicationId, List<String> sets) {
        return KpiConfig.load(null, Map.of(), sets, Map.of("data-dir", dir.toString(), "port", String.valueOf(freePort()),
                "bootstrap-servers", first.bootstrapServers(), "schema-registry", first.registryUrl(),
                "application-id", applicationId, "commit-interval", "PT0.2S"));
    }

    /** Sends events to the pipeline and waits for their acknowledgement. */
    static void send(Pipeline p, List<io.kpipeline.avro.CrmEvent> events) {
        try (EventSink sink = new EventSink(Map.of("bootstrap.servers", p.bootstrapServers()), p.registry(), "crm-events", "crm-events-dlq")) {
            events.forEach(sink::send);
            sink.flush();
        }
    }

    /** Sends contract JSON lines to the pipeline and waits for their acknowledgement. */
    static void send(Pipeline p, String... lines) {
        try (EventSink sink = new EventSink(Map.of("bootstrap.servers", p.bootstrapServers()), p.registry(), "crm-events", "crm-events-dlq")) {
            for (String line : lines) {
                sink.send(io.kpipeline.schemas.event.EventJson.parse(line));
            }
            sink.flush();
        }
    }

    static List<DeadLetter> deadLetters(Pipeline p) {
        var deserializer = new AvroDeserializer<>(p.registry(), DeadLetter.class);
        List<DeadLetter> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", p.bootstrapServers(),
                "group.id", "it-dlq", "auto.offset.reset", "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of("crm-events-dlq"));
            long deadline = System.currentTimeMillis() + 20_000;
            while (out.size() < 2 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(deserializer.deserialize(r.topic(), r.value()));
                }
            }
        }
        return out;
    }

    static void awaitUp(Pipeline p) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!p.health().up()) {
            assertThat(System.currentTimeMillis()).as("pipeline up in time").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** As {@link #awaitSettled(java.util.List)}, for pipelines of this JVM. */
    static void awaitSettled(Pipeline... pipelines) throws Exception {
        List<java.util.concurrent.Callable<JsonNode>> healths = new java.util.ArrayList<>();
        for (Pipeline p : pipelines) {
            healths.add(() -> p.health().document());
        }
        awaitSettled(healths);
    }

    /**
     * Waits until every change the entity stages took is visible to queries: over all the instances whose health
     * documents these give, the kpi-deltas records sent equal those applied and neither moves for 1.5 s (longer than
     * a backlog commit interval, so a commit still to send deltas would have); or, after a
     * restart (a new process applies deltas the one before it sent), neither moves for three seconds.
     */
    static void awaitSettled(List<java.util.concurrent.Callable<JsonNode>> healths) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        long lastSent = -1, lastApplied = -1;
        int still = 0;
        while (true) {
            assertThat(System.currentTimeMillis()).as("aggregates settled in time").isLessThan(deadline);
            long sent = 0, applied = 0;
            for (var health : healths) {
                JsonNode s = health.call().path("components").path("streams");
                sent += s.path("deltasSent").asLong();
                applied += s.path("deltasApplied").asLong();
            }
            still = sent == lastSent && applied == lastApplied ? still + 1 : 0;
            if ((still >= 5 && sent == applied) || still >= 10) {
                return;
            }
            lastSent = sent;
            lastApplied = applied;
            Thread.sleep(300);
        }
    }

    static JsonNode awaitValue(Pipeline p, String path) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonNode n = get(p, path);
            if (n.get("points").get(0).hasNonNull("value") || System.currentTimeMillis() > deadline) {
                return n;
            }
            Thread.sleep(250);
        }
    }

    static JsonNode get(Pipeline p, String path) throws Exception {
        return get(p.httpPort(), path);
    }

    /** GET from the API on {@code port}; asserts 200. */
    static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static int freePort() {
        return io.kpipeline.app.broker.FreePorts.next();
    }
}
