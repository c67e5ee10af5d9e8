package io.kpipeline.bench;

import io.kpipeline.app.StreamsTuning;
import io.kpipeline.app.broker.EmbeddedKafka;
import io.kpipeline.app.broker.FreePorts;
import io.kpipeline.app.http.ApiServer;
import io.kpipeline.app.http.Health;
import io.kpipeline.app.http.SseHub;
import io.kpipeline.connectors.importer.ImportSummary;
import io.kpipeline.connectors.importer.JsonLinesImporter;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.schemas.registry.SchemaRegistryCore;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.query.KpiQuery;
import io.kpipeline.streams.topology.EngineCounters;
import io.kpipeline.streams.topology.KpiTopology;
import io.kpipeline.streams.topology.Stores;
import io.kpipeline.streams.topology.TopicNames;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.QueryableStoreTypes;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * {@code ./kpi bench}: a fresh embedded broker in a temporary directory, a simulated history, and side by side in
 * one run: raw producer and consumer rates, a one-stage exactly-once windowed count, the full KPI topology's
 * backfill rate, state size, query latency over HTTP and memory.
 */
public final class Benchmark {
    private static final int PARTITIONS = 4;
    /** as `kpi run` creates crm-events by default; the baselines' topics alike */
    private static final int EVENT_PARTITIONS = 8;
    /** how long no series may wait for publication before kpi-updates counts as caught up */
    private static final Duration SETTLED = Duration.ofSeconds(3);
    /** events of the unmeasured run before the measured ones (fewer if the history is smaller) */
    private static final long WARM_UP_EVENTS = 400_000;
    private final long targetEvents;
    private final Path resultsDir;
    private final BenchReport report = new BenchReport();

    private final int liveRate;
    private final int liveSeconds;
    private final int queryRate;
    private final boolean fixedEntities;

    /**
     * {@code fixedEntities}: the leads (and so deals and accounts) of a one-million-event history, whatever the number
     * of events, which are made up by more touchpoints on each lead; otherwise leads grow with the events.
     */
    public Benchmark(long targetEvents, Path resultsDir, int liveRate, int liveSeconds, int queryRate, boolean fixedEntities) {
        this.queryRate = queryRate;
        this.fixedEntities = fixedEntities;
        this.targetEvents = targetEvents;
        this.resultsDir = resultsDir;
        this.liveRate = liveRate;
        this.liveSeconds = liveSeconds;
    }

    public Path run() throws Exception {
        Path dir = Files.createTempDirectory("kpi-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), "localhost", FreePorts.next(), FreePorts.next(), PARTITIONS,
                prefixed("bench.broker."))) {
            String bootstrap = kafka.bootstrapServers();
            SchemaRegistryCore registry = SchemaRegistryCore.inMemory();
            System.out.printf("generating a simulated history of about %,d events...%n", targetEvents);
            Path records = dir.resolve("history.bin");
            Path lines = dir.resolve("history.jsonl");
            long[] sizes = SimulatedHistory.write(registry, records, lines, targetEvents, fixedEntities, report);
            long n = sizes[0];
            report.put("events", n, "");
            report.put("mean event size", (double) sizes[1] / n, "bytes");
            report.put("mean event size as JSON", (double) Files.size(lines) / n, "bytes");
            createTopics(bootstrap, PARTITIONS, "bench-raw", "crm-events-dlq", "kpi-updates", "kpi-alerts", "kpi-fx-rates", TopicNames.DEFAULT.parts());
            createTopics(bootstrap, EVENT_PARTITIONS, "crm-events", "bench-json", "bench-avro", "bench-backlog",
                    TopicNames.forApplication("bench-kpi").entityFacts());

            report.put("raw producer (acks=all, lz4)", RawClients.produce(bootstrap, records, "bench-raw", PARTITIONS), "events/s");
            report.put("raw consumer", RawClients.consume(bootstrap, "bench-raw", n), "events/s");
            RawClients.produce(bootstrap, records, "bench-avro", EVENT_PARTITIONS);
            RawClients.produce(bootstrap, records, "bench-backlog", EVENT_PARTITIONS);
            Files.delete(records);
            RawClients.produceLines(bootstrap, lines, "bench-json");

            long warmUp = Math.min(WARM_UP_EVENTS, n);
            warmUpBaseline(bootstrap, dir, registry, warmUp);
            double json = windowedCountBaseline(bootstrap, dir.resolve("baseline-json"), "bench-json", WindowedCountBaseline.json(), n);
            report.put("baseline: one-stage windowed count, EOS", json, "events/s");
            double avro = windowedCountBaseline(bootstrap, dir.resolve("baseline-avro"), "bench-avro", WindowedCountBaseline.avro(registry), n);
            report.put("baseline on Avro records (run second), one-stage windowed count, EOS", avro, "events/s");
            warmUpEngine(bootstrap, dir, registry, warmUp);
            double one = backlogBackfill(bootstrap, dir, registry, n, 1);
            double two = backlogBackfill(bootstrap, dir, registry, n, 2);
            report.put("backfill from a backlog, 1 stream thread / baseline on Avro records", 100 * one / avro, "%");
            report.put("backfill from a backlog, 2 stream threads / 1 stream thread", two / one, "x");
            fullTopology(bootstrap, dir.resolve("state"), registry, lines, n, json, avro);
        } finally {
            deleteRecursively(dir);
        }
        Path out = report.write(resultsDir);
        System.out.println("written to " + out);
        return out;
    }

    private double windowedCountBaseline(String bootstrap, Path state, String topic, WindowedCountBaseline.EventReader reader,
                                         long n) throws InterruptedException {
        return windowedCountBaseline(bootstrap, state, topic, "bench-baseline-" + topic, reader, n, "baseline on " + topic);
    }

    /** With a {@code label}, the run's CPU is reported under it (see {@link #runUntil}); null for an unmeasured run. */
    private double windowedCountBaseline(String bootstrap, Path state, String topic, String appId,
                                         WindowedCountBaseline.EventReader reader, long n, String label) throws InterruptedException {
        AtomicLong seen = new AtomicLong();
        return runUntil(WindowedCountBaseline.topology(topic, reader, seen), props(bootstrap, state, appId), seen::get, n, null, null, label);
    }

    /**
     * Runs the baseline over the first {@code events} of its topic under an application id of its own, unmeasured,
     * so that the measured runs compare compiled code with compiled code, as in a pipeline that has run for a while
     * (see {@link #warmUpEngine}).
     */
    private void warmUpBaseline(String bootstrap, Path dir, SchemaRegistryCore registry, long events) throws Exception {
        System.out.printf("warming up the baseline on the first %,d events (not measured)...%n", events);
        long start = System.nanoTime();
        windowedCountBaseline(bootstrap, dir.resolve("warm-up-avro"), "bench-avro", "bench-warm-up-avro",
                WindowedCountBaseline.avro(registry), events, null);
        report.put("warm-up of the baseline (not measured)", Gauges.seconds(start), "s");
    }

    /**
     * Runs the engine (two stream threads, so that the code of every share of the topology is hot) over the first
     * {@code events} of the backlog under an application id of its own, unmeasured, just before the measured runs.
     * In a cold JVM the JIT compilers take half a core and more through the engine's first minute while its code
     * runs interpreted or half-compiled, a cost the one-stage baseline, a fraction of the code, hardly pays; run
     * right before the engine's measured runs so that no other workload's type profiles undo its compiled code.
     */
    private void warmUpEngine(String bootstrap, Path dir, SchemaRegistryCore registry, long events) throws Exception {
        System.out.printf("warming up the engine on the first %,d events (not measured)...%n", events);
        long start = System.nanoTime();
        String appId = "bench-warm-up";
        EngineCounters counters = new EngineCounters();
        Topology topology = engineOnBacklog(bootstrap, registry, appId, "warm-up", counters);
        Properties props = props(bootstrap, dir.resolve(appId), appId);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        runUntil(topology, props, counters::eventsFlushed, events, null, null);
        report.put("warm-up of the engine (not measured)", Gauges.seconds(start), "s");
    }

    /**
     * The full topology reading {@code bench-backlog}, with output topics of its own (named with {@code suffix})
     * created on the broker, so that runs over the same backlog do not read or write each other's.
     */
    private static Topology engineOnBacklog(String bootstrap, SchemaRegistryCore registry, String appId, String suffix,
                                            EngineCounters counters) throws Exception {
        TopicNames topics = new TopicNames("bench-backlog", "bench-dlq-" + suffix, "bench-updates-" + suffix, "bench-alerts-" + suffix,
                TopicNames.DEFAULT.fxRates(), TopicNames.forApplication(appId).entityFacts(), null);
        createTopics(bootstrap, PARTITIONS, topics.deadLetters(), topics.kpiUpdates(), topics.alerts());
        createTopics(bootstrap, EVENT_PARTITIONS, topics.entityFacts());
        return KpiTopology.build(topics, registry, EngineSettings.defaults(), counters, Duration.ofSeconds(1), EVENT_PARTITIONS);
    }

    /**
     * The full topology's backfill as the issue defines it: from the start of an import of the history's JSON lines
     * (parsed, validated and sent by the importer {@code kpi import} runs, on a thread of this process, while the
     * pipeline starts) until every event's changes are visible to queries.
     */
    private void fullTopology(String bootstrap, Path state, SchemaRegistryCore registry, Path lines, long n,
                              double jsonBaseline, double avroBaseline) throws Exception {
        EngineCounters counters = new EngineCounters();
        // leads of the live phase's SLA probes are due seconds after creation, so alert delay is measured in the run
        EngineSettings settings = EngineSettings.defaults().withSlaBySource(Map.of(LivePhase.SLA_SOURCE, LivePhase.SLA));
        Topology topology = KpiTopology.build(TopicNames.forApplication("bench-kpi"), registry, settings, counters, Duration.ofSeconds(1),
                EVENT_PARTITIONS);
        KafkaStreams[] holder = new KafkaStreams[1];
        double[] importRate = new double[1];
        Runnable importer = () -> {
            try (EventSink sink = new EventSink(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap), registry, TopicNames.DEFAULT.events(),
                    TopicNames.DEFAULT.deadLetters())) {
                ImportSummary summary = new JsonLinesImporter(sink, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false)
                        .importFile(lines);
                if (summary.failure() != null || summary.acked() != n) {
                    throw new IllegalStateException("the import failed: " + summary.failure() + ", " + summary.acked() + " of " + n + " acknowledged");
                }
                importRate[0] = summary.acked() / summary.seconds();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        double rate = runUntil(topology, props(bootstrap, state, "bench-kpi"), () -> visible(counters, n), n, holder, importer);
        report.put("import of the JSON lines (during the backfill)", importRate[0], "events/s");
        report.put("full KPI topology backfill, EOS", rate, "events/s");
        report.put("full topology / windowed-count baseline", 100 * rate / jsonBaseline, "%");
        report.put("full topology / baseline on Avro records", 100 * rate / avroBaseline, "%");
        KafkaStreams streams = holder[0];
        try {
            report.put("kpi-updates caught up, after the backfill", publicationCatchUp(counters, streams), "s");
            OutputCompression.measure(bootstrap, TopicNames.forApplication("bench-kpi").kpiUpdates(), report);
            report.put("state on disk", Gauges.sizeOf(state) / 1e6, "MB");
            report.put("state on disk per million events", Gauges.sizeOf(state) / 1e6 / (n / 1e6), "MB");
            for (String store : List.of(Stores.AGGREGATES, Stores.ENTITIES)) {
                report.put("entries in " + store, streams.store(StoreQueryParameters.fromNameAndType(store,
                        QueryableStoreTypes.<String, byte[]>keyValueStore())).approximateNumEntries(), "");
            }
            KpiQuery query = KpiQuery.overStore(streams.store(StoreQueryParameters.fromNameAndType(Stores.AGGREGATES,
                    QueryableStoreTypes.<String, byte[]>keyValueStore())), EngineSettings.defaults().calendar());
            int port = FreePorts.next();
            try (ApiServer api = new ApiServer("localhost", port, 1_000_000, new ApiServer.Services(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), null, null, () -> query, scope -> null,
                    () -> new Health(true, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), new SseHub<>("point"), new SseHub<>("alert"))).start()) {
                new LivePhase(bootstrap, registry, query, port, report).run(liveRate, liveSeconds, queryRate);
            }
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        report.put("peak heap (sum of pool peaks)", heapPeak / 1e6, "MB");
        report.put("peak RSS (VmHWM)", Gauges.rssPeakKb() / 1e3, "MB");
    }

    /**
     * How many events' changes are visible to queries, short of {@code n} until the last of them are: every entity
     * task has sent its deltas for them and the aggregate tasks have applied all that was sent.
     */
    private static long visible(EngineCounters counters, long n) {
        long flushed = counters.eventsFlushed();
        return flushed >= n && counters.deltasSent() == counters.deltasApplied() ? flushed : Math.min(flushed, n - 1);
    }

    /**
     * The full topology on a fresh state over the whole history already waiting in a topic of the default number of
     * partitions, with {@code threads} stream threads: events a second from the start until every event's changes
     * are visible to queries (every entity task has sent its deltas for them, and the aggregate tasks have applied
     * all that was sent). Also reports what crosses the broker per event.
     */
    private double backlogBackfill(String bootstrap, Path dir, SchemaRegistryCore registry, long n, int threads) throws Exception {
        String appId = "bench-backlog-" + threads;
        EngineCounters counters = new EngineCounters();
        Topology topology = engineOnBacklog(bootstrap, registry, appId, String.valueOf(threads), counters);
        Properties props = props(bootstrap, dir.resolve(appId), appId);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        System.out.printf("backfill from a backlog of %,d events on %d partitions, %d stream thread(s)...%n", n, EVENT_PARTITIONS, threads);
        String label = "backfill from a backlog, " + threads + " stream thread" + (threads == 1 ? "" : "s");
        double rate = runUntil(topology, props, () -> visible(counters, n), n, null, null, label);
        report.put(label, rate, "events/s");
        report.put(label + ": events/s per partition", rate / EVENT_PARTITIONS, "events/s");
        report.put(label + ": kpi-deltas records per entity-task commit", (double) counters.deltasSent() / Math.max(1, counters.deltaFlushes()), "");
        report.put(label + ": kpi-deltas bytes per event", (double) counters.deltaBytes() / n, "bytes");
        report.put(label + ": facts records per event", (double) counters.factsSent() / n, "");
        report.put(label + ": facts bytes per event", (double) counters.factBytes() / n, "bytes");
        return rate;
    }

    /**
     * Seconds from now (the engine has just taken the last event) until no changed series waits for its points to
     * go to kpi-updates: the first moment from which none waits for {@link #SETTLED} (the last commits of the
     * backfill, up to a second apart, mark more).
     */
    private static double publicationCatchUp(EngineCounters counters, KafkaStreams streams) throws InterruptedException {
        long start = System.nanoTime();
        long zeroSince = -1;
        while (zeroSince < 0 || System.nanoTime() - zeroSince < SETTLED.toNanos()) {
            if (streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("stream processing failed");
            }
            if (counters.awaitingPublication() > 0) {
                zeroSince = -1;
            } else if (zeroSince < 0) {
                zeroSince = System.nanoTime();
            }
            Thread.sleep(20);
        }
        return (zeroSince - start) / 1e9;
    }

    /**
     * Starts {@code topology} (and {@code alongside}, when given, on a thread of its own at the same moment) and
     * returns the events a second from then until {@code progress} reaches {@code n}.
     */
    private double runUntil(Topology topology, Properties props, LongSupplier progress, long n, KafkaStreams[] keep,
                            Runnable alongside) throws InterruptedException {
        return runUntil(topology, props, progress, n, keep, alongside, null);
    }

    /** As above; with a {@code label}, also reports where the run's CPU went under it ({@link CpuShares}). */
    private double runUntil(Topology topology, Properties props, LongSupplier progress, long n, KafkaStreams[] keep,
                            Runnable alongside, String label) throws InterruptedException {
        KafkaStreams streams = new KafkaStreams(topology, props);
        CpuShares cpu = label == null ? null : new CpuShares(props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        long lastSample = System.nanoTime();
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread other = alongside == null ? null : new Thread(() -> {
            try {
                alongside.run();
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "bench-import");
        long start = System.nanoTime();
        streams.start();
        if (other != null) {
            other.start();
        }
        long lastReport = System.nanoTime();
        while (progress.getAsLong() < n) {
            Thread.sleep(50);
            if (cpu != null && System.nanoTime() - lastSample > 1e9) {
                cpu.sample(streams);
                lastSample = System.nanoTime();
            }
            if (System.nanoTime() - lastReport > 10e9) {
                System.out.printf("    %,d / %,d%n", progress.getAsLong(), n);
                lastReport = System.nanoTime();
            }
            if (streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("stream processing failed");
            }
            if (failed.get() != null) {
                streams.close(Duration.ofSeconds(30));
                throw new IllegalStateException(failed.get().getMessage(), failed.get());
            }
        }
        if (other != null) {
            other.join();
        }
        double rate = n / Gauges.seconds(start);
        if (cpu != null) {
            cpu.report(report, label, streams, Integer.parseInt(props.getOrDefault(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1).toString()), n);
        }
        if (keep != null) {
            keep[0] = streams;
        } else {
            streams.close(Duration.ofSeconds(30));
        }
        return rate;
    }

    private static Properties props(String bootstrap, Path state, String appId) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // the pipeline's defaults; the baseline commits every second, as platform-notes.md measured it
        StreamsTuning.commitIntervals(p, Duration.ofMillis(200), Duration.ofSeconds(1));
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        StreamsTuning.apply(p);
        p.putAll(prefixed("bench.streams."));
        return p;
    }

    /** The system properties named {@code prefix + setting}, by setting: settings laid over the bench's for an A/B run. */
    private static Map<String, String> prefixed(String prefix) {
        Map<String, String> settings = new java.util.TreeMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith(prefix)) {
                settings.put(k.toString().substring(prefix.length()), v.toString());
            }
        });
        return settings;
    }

    private static void createTopics(String bootstrap, int partitions, String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                topics.add(new NewTopic(name, partitions, (short) 1));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
