package io.kpipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.connectors.simulate.CrmSimulator;
import io.kpipeline.schemas.event.EventJson;
import io.kpipeline.schemas.registry.RestSchemaRegistryClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.kpipeline.app.PipelineIT.HTTP;
import static io.kpipeline.app.PipelineIT.JSON;
import static io.kpipeline.app.PipelineIT.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Exactly-once under a crash: the whole pipeline (its own JVM) is killed with SIGKILL in the middle of an import,
 * started again on the same data, and the import finished by sending everything again (as a retrying importer
 * would). Every compared KPI equals a batch computation over the history: nothing lost, nothing counted twice.
 */
class CrashRecoveryIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void killNineMidImportThenRestartGivesTheExactKpis() throws Exception {
        List<String> lines = new ArrayList<>();
        new CrmSimulator(17, 60, LocalDate.of(2026, 6, 1)).advanceTo(Instant.parse("2026-09-01T00:00:00Z"))
                .forEach(e -> lines.add(EventJson.write(e)));
        Collections.shuffle(lines, new java.util.Random(3));
        BatchComparisonIT.Batch batch = new BatchComparisonIT.Batch(lines);
        int http = freePort(), kafka = freePort(), controller = freePort(), registry = freePort();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), "io.kpipeline.app.cli.Main", "run", "--data-dir", dir.resolve("data").toString(),
                "--port", String.valueOf(http), "--set", "kafka-port=" + kafka, "--set", "kafka-controller-port=" + controller,
                "--set", "schema-registry-port=" + registry, "--set", "application-id=kpi-crash-it");
        Process first = start(command, http, log("first"));
        String bootstrap = "localhost:" + kafka;
        try (EventSink sink = new EventSink(Map.of("bootstrap.servers", bootstrap),
                new RestSchemaRegistryClient("http://localhost:" + registry, null), "crm-events", "crm-events-dlq")) {
            for (String line : lines) {
                sink.send(EventJson.parse(line));
            }
            sink.flush();
        }
        // kill while the engine is part-way through the history
        long deadline = System.currentTimeMillis() + 120_000;
        while (applied(http) < lines.size() / 3) {
            assertThat(System.currentTimeMillis()).as("engine progressing").isLessThan(deadline);
            Thread.sleep(100);
        }
        first.destroyForcibly().waitFor();

        Path secondLog = log("second");
        Process second = start(command, http, secondLog);
        try {
            // the recovery is said in one line, not as Kafka Streams' list of every corrupted task at ERROR
            String said = java.nio.file.Files.readString(secondLog);
            assertThat(said).contains("did not stop cleanly").doesNotContain("Get exceptions for the following tasks");
            // the importer, not knowing what got through, sends everything again
            try (EventSink sink = new EventSink(Map.of("bootstrap.servers", bootstrap),
                    new RestSchemaRegistryClient("http://localhost:" + registry, null), "crm-events", "crm-events-dlq")) {
                for (String line : lines) {
                    sink.send(EventJson.parse(line));
                }
                sink.flush();
            }
            // every second copy is a duplicate of a first copy processed before it (same key, same partition):
            // when all of them have been seen, everything has been applied
            deadline = System.currentTimeMillis() + 300_000;
            while (health(http).path("components").path("streams").path("duplicates").asLong() < lines.size()) {
                assertThat(System.currentTimeMillis()).as("processing finishes").isLessThan(deadline);
                Thread.sleep(500);
            }
            PipelineIT.awaitSettled(List.of(() -> health(http)));
            for (String month : List.of("2026-06", "2026-07", "2026-08")) {
                for (var e : batch.revenueByRep.getOrDefault(month, Map.of()).entrySet()) {
                    assertThat(PipelineIT.monthValue(http, "revenue", "rep", e.getKey(), month)).as("revenue %s %s", e.getKey(), month)
                            .isCloseTo(e.getValue().doubleValue(), within(0.005));
                }
                for (var e : batch.leadsBySource.getOrDefault(month, Map.of()).entrySet()) {
                    assertThat(PipelineIT.monthValue(http, "leads_created", "source", e.getKey(), month)).as("leads %s %s", e.getKey(), month)
                            .isEqualTo(e.getValue().doubleValue());
                }
                long won = batch.won.getOrDefault(month, 0L), lost = batch.lost.getOrDefault(month, 0L);
                assertThat(PipelineIT.monthValue(http, "win_rate", "company", null, month)).as("win rate %s", month).isCloseTo((double) won / (won + lost), within(1e-9));
            }
        } finally {
            second.destroy();
            second.waitFor();
        }
    }

    /** Each start's output is kept for a failure's diagnosis. */
    private static Path log(String start) {
        return Path.of("target", "crash-recovery-" + System.nanoTime() + "-" + start + ".log");
    }

    private static Process start(List<String> command, int http, Path log) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // after a kill -9 under exactly-once there is no checkpoint: every store of every partition is restored from
        // its changelog (26 s alone on this machine, longer while other tests load it)
        long deadline = System.currentTimeMillis() + 240_000;
        String lastHealth = "no answer yet";
        while (true) {
            try {
                JsonNode h = health(http);
                if (h.path("status").asText().equals("UP")) {
                    return p;
                }
                lastHealth = h.toString();
            } catch (Exception notYet) {
                // starting
            }
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                // a start that fails says why: the last /health answer and the end of the process's own log
                throw new AssertionError((p.isAlive() ? "pipeline not up within 240 s" : "pipeline process exited") + "\nlast /health: "
                        + lastHealth + "\nend of " + log + ":\n" + tail(log, 60));
            }
            Thread.sleep(200);
        }
    }

    private static String tail(Path log, int lines) throws java.io.IOException {
        List<String> all = java.nio.file.Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static long applied(int http) throws Exception {
        return health(http).path("components").path("streams").path("eventsApplied").asLong();
    }

    private static JsonNode health(int http) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }


}
