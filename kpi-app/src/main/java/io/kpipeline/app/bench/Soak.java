package io.kpipeline.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kpipeline.app.StateFormat;
import io.kpipeline.app.broker.EmbeddedKafka;
import io.kpipeline.app.broker.FreePorts;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.connectors.simulate.CrmSimulator;
import io.kpipeline.schemas.registry.EmbeddedSchemaRegistry;
import io.kpipeline.schemas.registry.KafkaSchemaLog;
import io.kpipeline.schemas.registry.RestSchemaRegistryClient;
import io.kpipeline.schemas.registry.SchemaRegistryCore;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The engine under faults: several instances (JVMs of their own) share one application on an embedded broker; a
 * backfill and then a live CRM (shuffled within a window, some events sent twice) arrive while one instance after
 * another is killed with SIGKILL and restarted. At the end a clean single instance reads the same {@code crm-events}
 * under an application id of its own, and every monthly KPI at company level, every ranking by every dimension and
 * the point of every ranked key, asked through each surviving instance, must equal the clean instance's answer.
 */
public final class Soak {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String APP = "kpi-soak", CLEAN = "kpi-soak-clean";

    /** What to run: instances, partitions of crm-events, the live rate and duration, the kill period, the backfill. */
    public record Options(int instances, int partitions, int rate, Duration live, Duration killEvery, int backfill, Path dir, long seed) {
    }

    /**
     * What happened: the answers compared and those that differed, the events sent (with the duplicates among them),
     * the kills, and the heap of each instance before each of its kills and at the end.
     */
    public record Result(int compared, List<String> differences, long sent, long duplicates, int kills, List<String> heap) {
    }

    private final Options options;
    private final Consumer<String> log;

    /** @param log receives each step as it happens (also appended to {@code soak.log} in the directory) */
    public Soak(Options options, Consumer<String> log) {
        this.options = options;
        Path file = options.dir().resolve("soak.log");
        this.log = line -> {
            log.accept(line);
            try {
                java.nio.file.Files.createDirectories(options.dir());
                java.nio.file.Files.writeString(file, line + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                // the log file is a convenience; the caller's log has every line
            }
        };
    }

    public Result run() throws Exception {
        Path dir = options.dir();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), "localhost", FreePorts.next(), FreePorts.next(), options.partitions());
             EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(new SchemaRegistryCore(
                     new KafkaSchemaLog("_schemas", Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))), "localhost", FreePorts.next())) {
            String registryUrl = "http://localhost:" + registry.port();
            List<Instance> instances = new ArrayList<>();
            List<String> heap = new ArrayList<>();
            try {
                for (int i = 0; i < options.instances(); i++) {
                    instances.add(new Instance(dir.resolve("instance-" + i), kafka.bootstrapServers(), registryUrl, APP, FreePorts.next(), options.partitions()).start());
                }
                for (Instance instance : instances) {
                    instance.awaitUp(Duration.ofMinutes(3));
                }
                List<CrmEvent> history = history();
                List<CrmEvent> backfill = history.subList(0, Math.min(options.backfill(), history.size()));
                List<CrmEvent> live = history.subList(backfill.size(), history.size());
                long[] sent = {0, 0};
                Random random = new Random(options.seed());
                try (EventSink sink = new EventSink(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new RestSchemaRegistryClient(registryUrl, null), "crm-events", "crm-events-dlq")) {
                    log.accept(String.format("backfill: %,d events", backfill.size()));
                    send(sink, backfill, random, sent);
                    sink.flush();
                    log.accept(String.format("live: %,d events at %,d events/s for %s, one instance killed -9 and restarted every %s",
                            live.size(), options.rate(), options.live(), options.killEvery()));
                    int kills = liveWithKills(sink, live, instances, random, sent, heap);
                    sink.flush();
                    for (Instance instance : instances) {
                        instance.awaitUp(Duration.ofMinutes(3));
                    }
                    awaitSettled(kafka.bootstrapServers(), StateFormat.applicationId(APP));
                    for (Instance instance : instances) {
                        heap.add(instance.dir.getFileName() + " at the end: " + instance.heap());
                    }
                    log.accept("starting a clean single instance on the same crm-events");
                    Instance clean = new Instance(dir.resolve("clean"), kafka.bootstrapServers(), registryUrl, CLEAN, FreePorts.next(), options.partitions()).start();
                    try {
                        clean.awaitUp(Duration.ofMinutes(3));
                        awaitSettled(kafka.bootstrapServers(), StateFormat.applicationId(CLEAN));
                        List<String> differences = new ArrayList<>();
                        int compared = compare(clean, instances, differences);
                        log.accept(String.format("answers compared with the clean instance: %,d; different: %,d", compared, differences.size()));
                        heap.forEach(h -> log.accept("  " + h));
                        return new Result(compared, differences, sent[0], sent[1], kills, heap);
                    } finally {
                        clean.kill();
                    }
                }
            } finally {
                instances.forEach(Instance::kill);
            }
        }
    }

    /** A simulated history of the last 120 days, of about the backfill plus what the live phase sends. */
    private List<CrmEvent> history() {
        long wanted = options.backfill() + (long) options.rate() * options.live().toSeconds();
        LocalDate start = LocalDate.now().minusDays(120);
        int leadsPerDay = (int) Math.max(2, wanted / 120 / 10);
        List<CrmEvent> events = new ArrayList<>(new CrmSimulator(options.seed(), leadsPerDay, start).advanceTo(Instant.now()));
        if (events.size() < wanted) {
            // the events a lead makes vary with the simulator's settings: scale to what the first try made
            leadsPerDay = (int) Math.ceil(leadsPerDay * 1.1 * wanted / Math.max(1, events.size()));
            events = new ArrayList<>(new CrmSimulator(options.seed(), leadsPerDay, start).advanceTo(Instant.now()));
        }
        return events.size() > wanted ? new ArrayList<>(events.subList(0, (int) wanted)) : events;
    }

    /** Sends events shuffled within windows of 500, a twentieth of them twice. */
    private static void send(EventSink sink, List<CrmEvent> events, Random random, long[] sent) {
        for (int from = 0; from < events.size(); from += 500) {
            List<CrmEvent> window = new ArrayList<>(events.subList(from, Math.min(events.size(), from + 500)));
            int n = window.size();
            for (int i = 0; i < n; i++) {
                if (random.nextInt(20) == 0) {
                    window.add(window.get(i));
                    sent[1]++;
                }
            }
            Collections.shuffle(window, random);
            window.forEach(sink::send);
            sent[0] += window.size();
        }
    }

    private int liveWithKills(EventSink sink, List<CrmEvent> live, List<Instance> instances, Random random, long[] sent,
                              List<String> heap) throws Exception {
        long start = System.nanoTime();
        long nextKill = start + options.killEvery().toNanos();
        int kills = 0, batch = Math.max(1, options.rate() / 10);
        for (int from = 0; from < live.size(); from += batch) {
            send(sink, live.subList(from, Math.min(live.size(), from + batch)), random, sent);
            long due = start + (long) ((from + batch) * 1e9 / options.rate());
            long now = System.nanoTime();
            if (now >= nextKill) {
                Instance victim = instances.get(kills % instances.size());
                String before = victim.heap();
                heap.add(String.format("%s at %d s, before its kill: %s", victim.dir.getFileName(), (now - start) / 1_000_000_000, before));
                log.accept(String.format("  %3d s: kill -9 %s (%s), restart", (now - start) / 1_000_000_000, victim.dir.getFileName(), before));
                victim.kill();
                victim.start();
                kills++;
                nextKill += options.killEvery().toNanos();
            }
            if (due > now) {
                Thread.sleep((due - now) / 1_000_000);
            }
        }
        return kills;
    }

    /**
     * Waits until the application's consumer group has committed up to the end of every partition it reads (within
     * one offset, a transaction marker) three checks in a row.
     */
    private static void awaitSettled(String bootstrap, String group) throws Exception {
        long deadline = System.currentTimeMillis() + 600_000;
        int still = 0;
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (still < 3) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(group + " did not catch up within 10 minutes");
                }
                Thread.sleep(1_000);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                boolean caughtUp = !committed.isEmpty();
                for (var e : committed.entrySet()) {
                    caughtUp &= e.getValue() != null && e.getValue().offset() >= ends.get(e.getKey()).offset() - 1;
                }
                still = caughtUp ? still + 1 : 0;
            }
        }
        Thread.sleep(2_000); // a commit interval, for the last aggregates to be flushed where queries read them
    }

    /** Every monthly answer of the clean instance, asked again through each soaked instance. */
    private int compare(Instance clean, List<Instance> soaked, List<String> differences) throws Exception {
        List<String> months = new ArrayList<>();
        YearMonth now = YearMonth.now();
        for (int i = 4; i >= 0; i--) {
            months.add(now.minusMonths(i).toString());
        }
        Map<String, JsonNode> expected = MonthlyAnswers.collect(months, clean::get);
        int compared = 0;
        for (Instance instance : soaked) {
            for (String path : expected.keySet()) {
                JsonNode answer = instance.get(path);
                compared++;
                if (!answer.equals(expected.get(path))) {
                    differences.add(instance.dir.getFileName() + " " + path + ": " + answer + " <> clean " + expected.get(path));
                }
            }
        }
        return compared;
    }

    /** One pipeline instance in a JVM of its own, restartable on the same data directory and port. */
    private static final class Instance {
        final Path dir;
        private final String bootstrap, registry, application;
        private final int port, partitions;
        private Process process;

        Instance(Path dir, String bootstrap, String registry, String application, int port, int partitions) {
            this.dir = dir;
            this.bootstrap = bootstrap;
            this.registry = registry;
            this.application = application;
            this.port = port;
            this.partitions = partitions;
        }

        Instance start() throws java.io.IOException {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m", "-XX:+UseG1GC",
                    "-cp", System.getProperty("java.class.path"), "io.kpipeline.app.cli.Main", "run", "--data-dir", dir.toString(),
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
}
