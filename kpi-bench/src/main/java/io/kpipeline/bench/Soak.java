package io.kpipeline.bench;

import io.kpipeline.streams.query.MonthlyAnswers;
import com.fasterxml.jackson.databind.JsonNode;
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
            List<SoakInstance> instances = new ArrayList<>();
            List<String> heap = new ArrayList<>();
            try {
                for (int i = 0; i < options.instances(); i++) {
                    instances.add(new SoakInstance(dir.resolve("instance-" + i), kafka.bootstrapServers(), registryUrl, APP, FreePorts.next(), options.partitions()).start());
                }
                for (SoakInstance instance : instances) {
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
                    for (SoakInstance instance : instances) {
                        instance.awaitUp(Duration.ofMinutes(3));
                    }
                    awaitSettled(kafka.bootstrapServers(), StateFormat.applicationId(APP));
                    for (SoakInstance instance : instances) {
                        heap.add(instance.dir.getFileName() + " at the end: " + instance.heap());
                    }
                    log.accept("starting a clean single instance on the same crm-events");
                    SoakInstance clean = new SoakInstance(dir.resolve("clean"), kafka.bootstrapServers(), registryUrl, CLEAN, FreePorts.next(), options.partitions()).start();
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
                instances.forEach(SoakInstance::kill);
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

    private int liveWithKills(EventSink sink, List<CrmEvent> live, List<SoakInstance> instances, Random random, long[] sent,
                              List<String> heap) throws Exception {
        long start = System.nanoTime();
        long nextKill = start + options.killEvery().toNanos();
        int kills = 0, batch = Math.max(1, options.rate() / 10);
        for (int from = 0; from < live.size(); from += batch) {
            send(sink, live.subList(from, Math.min(live.size(), from + batch)), random, sent);
            long due = start + (long) ((from + batch) * 1e9 / options.rate());
            long now = System.nanoTime();
            if (now >= nextKill) {
                SoakInstance victim = instances.get(kills % instances.size());
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
    private int compare(SoakInstance clean, List<SoakInstance> soaked, List<String> differences) throws Exception {
        List<String> months = new ArrayList<>();
        YearMonth now = YearMonth.now();
        for (int i = 4; i >= 0; i--) {
            months.add(now.minusMonths(i).toString());
        }
        Map<String, JsonNode> expected = MonthlyAnswers.collect(months, clean::get);
        int compared = 0;
        for (SoakInstance instance : soaked) {
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
}
