package io.kpipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.DeadLetter;
import io.kpipeline.connectors.crm.hubspot.HubSpotSignature;
import io.kpipeline.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.kpipeline.app.PipelineIT.HTTP;
import static io.kpipeline.app.PipelineIT.JSON;
import static io.kpipeline.app.PipelineIT.awaitUp;
import static io.kpipeline.app.PipelineIT.config;
import static io.kpipeline.app.PipelineIT.monthValue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HubSpot, Pipedrive and Salesforce deliveries, shaped as each CRM documents them (the samples of kpi-connectors'
 * test resources) and signed as each signs them, posted to a running pipeline: the canonical events are read back
 * from crm-events, a replayed delivery changes no KPI, and a tampered or unauthenticated one writes nothing.
 */
class CrmWebhooksIT {
    static final Path SAMPLES = Path.of("../kpi-connectors/src/test/resources/crm");
    static final String SECRET = "hubspot-client-secret-for-tests";

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void crmDeliveriesBecomeCanonicalEventsAndKpis() throws Exception {
        KpiConfig config = config(dir, "kpi-crm-it", List.of("crm-mapping=" + SAMPLES.resolve("mapping-test.yaml"),
                "hubspot-client-secret=" + SECRET, "pipedrive-user=pipedrive", "pipedrive-password=s3cret",
                "salesforce-organization-id=00D5g000004XyzA", "webhook-max-bytes=65536"));
        try (Pipeline p = new Pipeline(config).start()) {
            awaitUp(p);
            String base = "http://localhost:" + p.httpPort();

            // HubSpot: 10 subscription events, 8 mapped, 2 to the dead-letter topic
            byte[] hubspot = Files.readAllBytes(SAMPLES.resolve("hubspot-deal-journey.json"));
            HttpResponse<String> r = hubspotPost(base, hubspot, hubspot);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).get("accepted").asInt()).isEqualTo(8);
            assertThat(JSON.readTree(r.body()).get("rejected")).hasSize(2);
            // signed for one body, sent with another: refused, nothing written
            byte[] tampered = new String(hubspot, StandardCharsets.UTF_8).replace("\"24000\"", "\"99000\"").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> forged = hubspotPost(base, hubspot, tampered);
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(forged.body()).get("error").asText()).contains("signature");

            // Pipedrive: a deal created, moved and re-valued, a call done, the deal won; a lead created
            for (String sample : List.of("pipedrive-deal-created.json", "pipedrive-deal-stage-and-value.json", "pipedrive-activity-done.json",
                    "pipedrive-deal-won.json", "pipedrive-lead-created.json")) {
                HttpResponse<String> pr = pipedrivePost(base, Files.readAllBytes(SAMPLES.resolve(sample)), "s3cret");
                assertThat(pr.statusCode()).as(sample + ": " + pr.body()).isEqualTo(200);
            }
            assertThat(pipedrivePost(base, Files.readAllBytes(SAMPLES.resolve("pipedrive-deal-won.json")), "guess").statusCode()).isEqualTo(401);

            // Salesforce: answered with the SOAP Ack; another org is refused
            for (String sample : List.of("salesforce-opportunity-won.xml", "salesforce-lead-and-task.xml")) {
                HttpResponse<String> sr = post(base + "/webhooks/salesforce", Files.readAllBytes(SAMPLES.resolve(sample)), Map.of("Content-Type", "text/xml"));
                assertThat(sr.statusCode()).as(sr.body()).isEqualTo(200);
                assertThat(sr.body()).contains("<Ack>true</Ack>");
            }
            byte[] otherOrg = new String(Files.readAllBytes(SAMPLES.resolve("salesforce-lead-and-task.xml")), StandardCharsets.UTF_8)
                    .replace("00D5g000004XyzAEAS", "00D9z000001AbcDEAS").getBytes(StandardCharsets.UTF_8);
            assertThat(post(base + "/webhooks/salesforce", otherOrg, Map.of()).statusCode()).isEqualTo(401);

            assertThat(post(base + "/webhooks/hubspot", new byte[70_000], Map.of()).statusCode()).isEqualTo(413);

            // every CRM's deal was won in November 2026 by owner R-7 of the test mapping:
            // HubSpot 24,000 (amount set at creation) + Pipedrive 15,000 (re-valued from 12,500) + Salesforce 48,000
            double expected = 24_000 + 15_000 + 48_000;
            assertThat(awaitRevenue(p.httpPort(), expected)).isEqualTo(expected);

            // HubSpot retries the same delivery later (a new timestamp and signature): nothing changes
            assertThat(hubspotPost(base, hubspot, hubspot).statusCode()).isEqualTo(200);
            List<CrmEvent> events = read(p, CrmEvent.class, "crm-events", 8 + 8 + 6 + 7);
            Map<String, Set<String>> idsByOrigin = events.stream().collect(Collectors.groupingBy(CrmEvent::getOrigin, TreeMap::new,
                    Collectors.mapping(CrmEvent::getEventId, Collectors.toSet())));
            // distinct events: HubSpot 8 (sent twice), Pipedrive 6 (created, updated, stage, call, won, lead),
            // Salesforce 3 for the won opportunity + 4 for the lead and its call
            assertThat(idsByOrigin.get("hubspot")).hasSize(8);
            // records, not ids: the delivery and its replay, 8 each; the forged delivery (401) wrote none
            assertThat(events.stream().filter(e -> e.getOrigin().equals("hubspot"))).hasSize(16);
            assertThat(idsByOrigin.get("pipedrive")).hasSize(6);
            assertThat(idsByOrigin.get("salesforce")).hasSize(7);
            PipelineIT.awaitSettled(p); // the replay has been applied by now
            assertThat(monthValue(p.httpPort(), "revenue", "rep", "R-7", "2026-11")).isEqualTo(expected);
            // the call on the Salesforce lead came 3.5 minutes after its creation
            assertThat(monthValue(p.httpPort(), "lead_response_time", "source", "inbound-web", "2026-11")).isEqualTo(210.0);

            List<DeadLetter> dead = read(p, DeadLetter.class, "crm-events-dlq", 3);
            assertThat(dead).extracting(d -> d.getSource() + " " + d.getReasonCode())
                    .contains("webhook:hubspot UNMAPPED_FIELD", "webhook:hubspot UNMAPPED_STAGE", "webhook:salesforce UNMAPPED_STAGE");
            assertThat(dead).allSatisfy(d -> assertThat(d.getRaw().remaining()).isPositive());
        }
    }

    static HttpResponse<String> hubspotPost(String base, byte[] signedBody, byte[] sentBody) throws Exception {
        String url = base + "/webhooks/hubspot";
        String ts = Long.toString(System.currentTimeMillis());
        String signature = new HubSpotSignature(SECRET, Duration.ofMinutes(5), Clock.systemUTC()).sign("POST", url, signedBody, ts);
        return post(url, sentBody, Map.of(HubSpotSignature.SIGNATURE, signature, HubSpotSignature.TIMESTAMP, ts, "Content-Type", "application/json"));
    }

    static HttpResponse<String> pipedrivePost(String base, byte[] body, String password) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("pipedrive:" + password).getBytes(StandardCharsets.UTF_8));
        return post(base + "/webhooks/pipedrive", body, Map.of("Authorization", basic, "Content-Type", "application/json"));
    }

    static HttpResponse<String> post(String url, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static double awaitRevenue(int port, double expected) throws Exception {
        Double v = PipelineIT.awaitMonthValue(port, "revenue", "rep", "R-7", "2026-11", expected);
        return v == null ? -1 : v;
    }

    /**
     * Reads a topic from the beginning: at least {@code atLeast} records (or what arrives within 20 s), then on until
     * a second passes without more, so a record that should not be there would be read too.
     */
    static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(Pipeline p, Class<T> type, String topic, int atLeast) {
        var deserializer = new AvroDeserializer<>(p.registry(), type);
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", p.bootstrapServers(),
                "group.id", "it-read-" + topic + System.nanoTime(), "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            boolean quiet = false;
            while ((out.size() < atLeast || !quiet) && System.currentTimeMillis() < deadline) {
                var records = c.poll(Duration.ofMillis(1000));
                quiet = records.isEmpty();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    out.add(deserializer.deserialize(r.topic(), r.value()));
                }
            }
        }
        return out;
    }
}
