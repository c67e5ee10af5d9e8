package io.kpipeline.app;

import io.kpipeline.app.broker.EmbeddedKafka;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.connectors.simulate.CrmSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.kpipeline.app.PipelineIT.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pipeline against a Kafka it did not start whose client listener requires SASL: the {@code kafka.*} settings
 * reach every client (topic creation, the schema registry's topic, the stream processors, the live feed, the
 * webhook producer), and wrong credentials stop start-up with a message saying so.
 */
class SecuredClusterIT {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"kpi\" password=\"%s\";";

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void saslSettingsReachEveryKafkaClient() throws Exception {
        int plain = freePort(), sasl = freePort(), controller = freePort();
        Map<String, String> broker = Map.of(
                "listeners", "PLAINTEXT://localhost:" + plain + ",SASL_PLAINTEXT://localhost:" + sasl + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners", "PLAINTEXT://localhost:" + plain + ",SASL_PLAINTEXT://localhost:" + sasl,
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_kpi=\"kpi-secret\";");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), "localhost", plain, controller, 2, broker)) {
            String bootstrap = "localhost:" + sasl;

            KpiConfig wrong = config(bootstrap, "not-the-password");
            assertThatThrownBy(() -> new Pipeline(wrong).start().close()).hasMessageContaining("uthentication");

            KpiConfig config = config(bootstrap, "kpi-secret");
            try (Pipeline p = new Pipeline(config).start()) {
                PipelineIT.awaitUp(p);
                var history = new CrmSimulator(31, 8, LocalDate.of(2026, 9, 1)).advanceTo(Instant.parse("2026-11-01T00:00:00Z"));
                try (EventSink sink = new EventSink(config.kafkaClient(bootstrap), p.registry(), "crm-events", "crm-events-dlq")) {
                    history.forEach(sink::send);
                    sink.flush();
                    assertThat(sink.failed()).isZero();
                }
                assertThat(PipelineIT.awaitValue(p, "/api/kpis/revenue?grain=month&from=2026-10&to=2026-10")
                        .get("points").get(0).get("value").isNull()).isFalse();
                // the webhook endpoint's producer too
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                                "http://localhost:" + p.httpPort() + "/webhooks/events")).header("Authorization", "Bearer hook")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"eventId\":\"sasl-1\",\"type\":\"LeadCreated\",\"occurredAt\":\"2026-11-02T10:00:00Z\","
                                + "\"leadId\":\"L-sasl\",\"repId\":\"R-1\",\"teamId\":\"T-1\",\"region\":\"EMEA\",\"segment\":\"SMB\",\"source\":\"sasl-test\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(PipelineIT.awaitValue(p, "/api/kpis/leads_created?dimension=source&key=sasl-test&grain=day&from=2026-11-02&to=2026-11-02")
                        .get("points").get(0).get("value").asInt()).isEqualTo(1);
            }
        }
    }

    private KpiConfig config(String bootstrap, String password) {
        Map<String, String> flags = new HashMap<>(Map.of("data-dir", dir.resolve("data-" + password).toString(), "port", String.valueOf(freePort()),
                "schema-registry-port", String.valueOf(freePort()), "bootstrap-servers", bootstrap, "application-id", "kpi-sasl-it",
                "partitions", "2", "event-partitions", "2", "commit-interval", "PT0.2S", "publish-interval", "PT0.2S"));
        return KpiConfig.load(null, Map.of(), List.of("kafka.security.protocol=SASL_PLAINTEXT", "kafka.sasl.mechanism=PLAIN",
                "kafka.sasl.jaas.config=" + String.format(JAAS, password), "replication-factor=1", "webhook-token=hook"), flags);
    }
}
