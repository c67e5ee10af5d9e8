package io.kpipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.schemas.event.EventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.kpipeline.app.PipelineIT.HTTP;
import static io.kpipeline.app.PipelineIT.JSON;
import static io.kpipeline.app.PipelineIT.freePort;
import static io.kpipeline.app.PipelineIT.get;
import static org.assertj.core.api.Assertions.assertThat;

/** SLA alerts on the real broker with a 3-second SLA: fired at the deadline, resolved on contact, none for history, once across a restart. */
class AlertsIT {
    @TempDir
    Path dir;

    static String event(String id, String type, Instant at, String fields) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"" + type + "\",\"occurredAt\":\"" + at + "\"," + fields + "}";
    }


    @Test
    @Timeout(300)
    void alertsFireAtTheDeadlineResolveAndSurviveARestart() throws Exception {
        KpiConfig config = PipelineIT.config(dir, "kpi-alerts-it", List.of("lead-response-sla=PT3S", "lead-response-escalation=PT1H"));
        try (Pipeline p = new Pipeline(config).start()) {
            PipelineIT.awaitUp(p);
            Instant now = Instant.now();
            List<String> streamed = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> sse = followAlertStream(p, streamed);
            PipelineIT.send(p, event("h1", "LeadCreated", now.minus(Duration.ofDays(30)), "\"leadId\":\"L-hist\",\"repId\":\"R-1\""),
                    event("a1", "LeadCreated", now, "\"leadId\":\"L-silent\",\"repId\":\"R-1\",\"teamId\":\"T-1\",\"source\":\"web\""),
                    event("b1", "LeadCreated", now, "\"leadId\":\"L-quick\",\"repId\":\"R-2\""),
                    event("b2", "TouchpointLogged", now.plusSeconds(1), "\"touchpointId\":\"tp-b\",\"leadId\":\"L-quick\",\"channel\":\"CALL\""));
            // the deadline is now + 3 s; the alert must be there within 2 s of it
            JsonNode open = awaitAlerts(p, "/api/alerts?status=open", 1, now.plusSeconds(5));
            assertThat(open).hasSize(1);
            assertThat(open.get(0).get("leadId").asText()).isEqualTo("L-silent");
            assertThat(open.get(0).get("rule").asText()).isEqualTo("lead_response_sla_breached");
            assertThat(Instant.parse(open.get(0).get("firedAt").asText())).isBefore(now.plusSeconds(5));
            PipelineIT.send(p, event("a2", "TouchpointLogged", now.plusSeconds(8), "\"touchpointId\":\"tp-a\",\"leadId\":\"L-silent\",\"channel\":\"EMAIL\""));
            JsonNode all = awaitResolved(p);
            assertThat(all.get(0).get("status").asText()).isEqualTo("resolved");
            assertThat(get(p, "/api/alerts?status=open")).isEmpty();
            long deadline = System.currentTimeMillis() + 10_000;
            while (streamed.size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(streamed).hasSize(2);
            sse.cancel(true);
            // a lead whose deadline passes while the pipeline is down
            PipelineIT.send(p, event("c1", "LeadCreated", Instant.now(), "\"leadId\":\"L-down\",\"repId\":\"R-3\""));
        }
        Thread.sleep(4000);
        try (Pipeline again = new Pipeline(config).start()) {
            PipelineIT.awaitUp(again);
            JsonNode open = awaitAlerts(again, "/api/alerts?status=open", 1, Instant.now().plusSeconds(10));
            assertThat(open).extracting(a -> a.get("leadId").asText()).containsExactly("L-down");
            Thread.sleep(2000);
            assertThat(get(again, "/api/alerts?status=all")).hasSize(2);
        }
    }

    private static CompletableFuture<Void> followAlertStream(Pipeline p, List<String> events) {
        return CompletableFuture.runAsync(() -> {
            try {
                HttpResponse<java.io.InputStream> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + p.httpPort() + "/api/alerts/stream")).build(), HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.startsWith("data:")) {
                            events.add(line.substring(5).trim());
                        }
                    }
                }
            } catch (Exception e) {
                // cancelled
            }
        });
    }

    private static JsonNode awaitAlerts(Pipeline p, String path, int n, Instant until) throws Exception {
        JsonNode found = JSON.createArrayNode();
        while (Instant.now().isBefore(until)) {
            found = get(p, path);
            if (found.size() >= n) {
                return found;
            }
            Thread.sleep(100);
        }
        return found;
    }

    private static JsonNode awaitResolved(Pipeline p) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        JsonNode all;
        do {
            all = get(p, "/api/alerts?status=all");
            if (all.size() > 0 && all.get(0).get("status").asText().equals("resolved")) {
                return all;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        return all;
    }


}
