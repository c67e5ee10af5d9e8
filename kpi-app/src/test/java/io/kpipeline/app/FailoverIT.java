package io.kpipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.app.broker.EmbeddedKafka;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.connectors.simulate.CrmSimulator;
import io.kpipeline.schemas.registry.EmbeddedSchemaRegistry;
import io.kpipeline.schemas.registry.KafkaSchemaLog;
import io.kpipeline.schemas.registry.SchemaRegistryCore;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kpipeline.app.PipelineIT.JSON;
import static io.kpipeline.app.PipelineIT.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three instances (JVMs of their own) on one broker: every instance gives the same answers; the instance holding
 * the KPI stores is killed with SIGKILL, and the survivors answer again, the same, within a bounded time. Until
 * then an answer is a 503 to retry, never a different or partial one. Run with one standby replica and with none;
 * the time each took is printed (in the failsafe report).
 */
class FailoverIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> QUERIES = List.of("/api/kpis/revenue?dimension=team&key=T-emea&grain=month&from=2026-06&to=2026-08",
            "/api/kpis/win_rate/ranking?dimension=rep&grain=quarter&period=2026-Q3", "/api/kpis/leads_created?grain=week&from=2026-W23&to=2026-W35",
            "/api/alerts?status=all");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "standby replicas: {0}")
    @ValueSource(ints = {1, 0})
    @Timeout(400)
    void survivorsAnswerTheSameSoonAfterTheOwnerIsKilled(int standbys) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), "localhost", freePort(), freePort(), 2);
             EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(new SchemaRegistryCore(
                     new KafkaSchemaLog("_schemas", Map.of("bootstrap.servers", kafka.bootstrapServers()))), "localhost", freePort())) {
            String registryUrl = "http://localhost:" + registry.port();
            List<Instance> instances = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    instances.add(Instance.start(dir.resolve("instance-" + i), kafka.bootstrapServers(), registryUrl, standbys));
                }
                for (Instance instance : instances) {
                    instance.awaitUp();
                }
                var history = new CrmSimulator(23, 40, LocalDate.of(2026, 6, 1)).advanceTo(Instant.parse("2026-09-01T00:00:00Z"));
                try (EventSink sink = new EventSink(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        new io.kpipeline.schemas.registry.RestSchemaRegistryClient(registryUrl, null), "crm-events", "crm-events-dlq")) {
                    history.forEach(sink::send);
                    sink.flush();
                }
                long deadline = System.currentTimeMillis() + 180_000;
                while (instances.stream().mapToLong(Instance::applied).sum() < history.size()) {
                    assertThat(System.currentTimeMillis()).as("history applied").isLessThan(deadline);
                    Thread.sleep(250);
                }
                PipelineIT.awaitSettled(instances.stream().<java.util.concurrent.Callable<JsonNode>>map(i -> i::health).toList());
                Thread.sleep(500); // and the owners known to all

                // every instance answers, and the same
                List<JsonNode> expected = new ArrayList<>();
                for (String q : QUERIES) {
                    JsonNode answer = answered(instances.get(0), q);
                    expected.add(answer);
                    for (Instance other : instances.subList(1, 3)) {
                        assertThat(answered(other, q)).as(q).isEqualTo(answer);
                    }
                }
                assertThat(expected.get(0).get("points").get(1).hasNonNull("value")).isTrue();

                String ownerAddress = instances.get(0).health().path("components").path("streams").path("kpiStoresAt").asText();
                Instance owner = instances.stream().filter(i -> ownerAddress.endsWith(":" + i.port)).findFirst().orElseThrow();
                List<Instance> survivors = new ArrayList<>(instances);
                survivors.remove(owner);

                long killed = System.nanoTime();
                owner.process.destroyForcibly().waitFor();
                long answeredAfter = -1;
                int unavailable = 0;
                deadline = System.currentTimeMillis() + 90_000;
                while (answeredAfter < 0) {
                    assertThat(System.currentTimeMillis()).as("survivors answer again").isLessThan(deadline);
                    boolean allAnswer = true;
                    for (Instance s : survivors) {
                        for (int q = 0; q < QUERIES.size(); q++) {
                            Answer a = s.get(QUERIES.get(q));
                            if (a.status == 200) {
                                // served: then it is the whole answer, as before the kill
                                assertThat(a.body()).as(QUERIES.get(q)).isEqualTo(expected.get(q));
                            } else {
                                assertThat(a.status).as(QUERIES.get(q) + ": " + a.body()).isEqualTo(503);
                                assertThat(a.body().path("error").asText()).isNotBlank();
                                unavailable++;
                                allAnswer = false;
                            }
                        }
                    }
                    if (allAnswer) {
                        answeredAfter = (System.nanoTime() - killed) / 1_000_000;
                    } else {
                        Thread.sleep(100);
                    }
                }
                System.out.printf("fail-over with %d standby replica(s): the killed owner's series answered again on both survivors after %,d ms "
                        + "(%d answers were 503 meanwhile)%n", standbys, answeredAfter, unavailable);
                // 10 s session timeout, a rebalance and (without a standby) a restore from the changelog
                assertThat(answeredAfter).isLessThan(60_000);
            } finally {
                instances.forEach(i -> i.process.destroyForcibly());
            }
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    /** The 200 answer to {@code q}: a 503 (a store moving in a rebalance after start) is retried, as it says. */
    private static JsonNode answered(Instance instance, String q) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            Answer a = instance.get(q);
            if (a.status == 200) {
                return a.body();
            }
            assertThat(a.status).as(q + ": " + a.body()).isEqualTo(503);
            assertThat(System.currentTimeMillis()).as(q + " answered in time; last: " + a.body()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private record Instance(Process process, int port) {
        static Instance start(Path dir, String bootstrap, String registry, int standbys) throws Exception {
            int port = freePort();
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"), "io.kpipeline.app.cli.Main", "run", "--data-dir", dir.toString(),
                    "--port", String.valueOf(port), "--bootstrap-servers", bootstrap, "--schema-registry", registry,
                    "--set", "application-id=kpi-failover-it", "--set", "partitions=2", "--set", "event-partitions=2", "--set", "standby-replicas=" + standbys,
                    "--set", "session-timeout=PT6S", "--set", "commit-interval=PT0.2S", "--set", "publish-interval=PT0.2S");
            return new Instance(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.getParent().resolve(dir.getFileName() + ".log").toFile()).start(), port);
        }

        void awaitUp() throws Exception {
            long deadline = System.currentTimeMillis() + 120_000;
            while (!health().path("status").asText().equals("UP")) {
                assertThat(process.isAlive()).as("instance on " + port + " running").isTrue();
                assertThat(System.currentTimeMillis()).as("instance on " + port + " up").isLessThan(deadline);
                Thread.sleep(250);
            }
        }

        JsonNode health() {
            try {
                return get("/health").body();
            } catch (Exception e) {
                return JSON.createObjectNode();
            }
        }

        long applied() {
            return health().path("components").path("streams").path("eventsApplied").asLong();
        }

        Answer get(String path) throws Exception {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), JSON.readTree(r.body()));
        }
    }
}
