package io.kpipeline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kpipeline.app.cli.Main;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** One pipeline instance in a JVM of its own, restartable on the same data directory and port. */
final class SoakInstance {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final Path dir;
    private final String bootstrap, registry, application;
    private final int port, partitions;
    private Process process;

    SoakInstance(Path dir, String bootstrap, String registry, String application, int port, int partitions) {
        this.dir = dir;
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.application = application;
        this.port = port;
        this.partitions = partitions;
    }

    SoakInstance start() throws java.io.IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m", "-XX:+UseG1GC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--data-dir", dir.toString(),
                "--port", String.valueOf(port), "--bootstrap-servers", bootstrap, "--schema-registry", registry,
                "--set", "application-id=" + application, "--set", "standby-replicas=1", "--set", "session-timeout=PT6S",
                "--set", "stream-threads=1", "--set", "event-partitions=" + partitions);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.getParent().resolve(dir.getFileName() + ".log").toFile())).start();
        return this;
    }

    void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void awaitUp(Duration within) throws InterruptedException {
        long deadline = System.currentTimeMillis() + within.toMillis();
        while (!health().path("status").asText().equals("UP")) {
            if (!process.isAlive()) {
                throw new IllegalStateException(dir.getFileName() + " exited; see " + dir.getFileName() + ".log");
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(dir.getFileName() + " not up within " + within);
            }
            Thread.sleep(250);
        }
    }

    JsonNode health() {
        try {
            return request("/health").body;
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    /**
     * Heap from the instance's own metrics: "used" now, and "live" as the last old-generation collection left it
     * (what grows under a leak); "not answering" when it does not.
     */
    String heap() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            double used = 0, live = 0;
            for (String line : r.body().lines().toList()) {
                double value = line.startsWith("#") ? 0 : Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    used += value;
                } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                    live = value;
                }
            }
            return String.format("heap used %,d MB, live after GC %,d MB", Math.round(used / 1e6), Math.round(live / 1e6));
        } catch (Exception e) {
            return "not answering";
        }
    }

    /** The 200 answer to {@code path}; a 503 (a store moving) is retried as it says, for up to a minute. */
    JsonNode get(String path) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            Answer a = request(path);
            if (a.status == 200) {
                return a.body;
            }
            if (a.status != 503 || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(dir.getFileName() + " " + path + " answered " + a.status + ": " + a.body);
            }
            Thread.sleep(250);
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer request(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }
}
