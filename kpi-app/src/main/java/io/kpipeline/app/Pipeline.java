package io.kpipeline.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.app.broker.EmbeddedKafka;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.app.http.AccessControl;
import io.kpipeline.app.http.ApiServer;
import io.kpipeline.app.http.Health;
import io.kpipeline.schemas.registry.EmbeddedSchemaRegistry;
import io.kpipeline.schemas.registry.KafkaSchemaLog;
import io.kpipeline.schemas.registry.RestSchemaRegistryClient;
import io.kpipeline.schemas.registry.SchemaRegistryClient;
import io.kpipeline.schemas.registry.SchemaRegistryCore;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.query.KpiQuery;
import io.kpipeline.streams.aggregate.RollupSeriesReader;
import io.kpipeline.streams.aggregate.StoreSeriesReader;
import io.kpipeline.streams.topology.EngineCounters;
import io.kpipeline.streams.topology.KpiTopology;
import io.kpipeline.streams.topology.Stores;
import io.kpipeline.streams.topology.TopicNames;
import io.kpipeline.app.http.Webhooks;
import io.kpipeline.app.http.LiveFeed;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.app.http.SseHub;
import io.kpipeline.avro.Alert;
import io.kpipeline.avro.KpiPoint;
import io.kpipeline.streams.alerts.AlertCounters;
import io.kpipeline.streams.alerts.AlertSettings;
import io.kpipeline.streams.alerts.SlaAlertProcessor;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Everything {@code ./kpi run} starts, in order (broker, registry, topics, stream processors, HTTP), and stops in
 * reverse. Against an existing cluster the broker and registry are the user's, everything else is the same.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    /** stream-thread failures within {@link #FAILURE_WINDOW} after which the instance stops rather than loop */
    private static final int MAX_FAILURES = 3;
    private static final Duration FAILURE_WINDOW = Duration.ofMinutes(10);
    private DependencyProbe probe;
    private final java.util.ArrayDeque<Long> failures = new java.util.ArrayDeque<>();
    private volatile ReadOnlyKeyValueStore<String, String> fxStore;
    /** why stream processing stopped for good, or null */
    private volatile String fatal;
    private final KpiConfig config;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final EngineCounters counters = new EngineCounters();
    private final AlertCounters alertCounters = new AlertCounters();
    private final SseHub<KpiPoint> pointHub = new SseHub<>("point");
    private final SseHub<Alert> alertHub = new SseHub<>("alert");
    private volatile ReadOnlyKeyValueStore<String, byte[]> alertStore;
    private volatile ReadOnlyKeyValueStore<String, byte[]> repAlertStore;
    private EmbeddedKafka kafka;
    private EmbeddedSchemaRegistry embeddedRegistry;
    private SchemaRegistryClient registry;
    private String bootstrap;
    /** partitions of crm-events (it may have existed): every stage of the engine has as many tasks */
    private int eventPartitions;
    private String registryUrl;
    /** the Kafka Streams application id of this state format (see {@link StateFormat}) */
    private String applicationId;
    /** host:port at which the other instances reach this one (may need a name lookup: resolved once, at start) */
    private String self;
    private KafkaStreams streams;
    private volatile KpiQuery query;
    private EngineSettings settings;
    private ApiServer api;

    public Pipeline(KpiConfig config) {
        this.config = config;
    }

    /** Starts everything; when a part fails to start, what had started is stopped again before the failure is thrown. */
    public Pipeline start() throws IOException {
        try {
            return startAll();
        } catch (IOException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private Pipeline startAll() throws IOException {
        // the keystore first: a wrong path or password stops the start before anything else has started
        io.kpipeline.app.http.Tls tls = io.kpipeline.app.http.Tls.of(config);
        self = config.advertisedAddress();
        applicationId = StateFormat.applicationId(config.get("application-id"));
        if (config.external()) {
            bootstrap = config.get("bootstrap-servers");
            registryUrl = config.get("schema-registry");
        } else {
            Path dir = config.dataDir();
            kafka = EmbeddedKafka.start(dir.resolve("kafka"), "localhost", config.integer("kafka-port"),
                    config.integer("kafka-controller-port"), config.integer("partitions"));
            resources.add(kafka);
            bootstrap = kafka.bootstrapServers();
        }
        Map<String, Object> client = config.kafkaClient(bootstrap);
        eventPartitions = createTopics(client);
        if (registryUrl == null || registryUrl.isBlank()) {
            SchemaRegistryCore core = new SchemaRegistryCore(new KafkaSchemaLog("_schemas", client));
            embeddedRegistry = EmbeddedSchemaRegistry.start(core, "localhost", config.integer("schema-registry-port"));
            resources.add(embeddedRegistry);
            registryUrl = "http://localhost:" + embeddedRegistry.port();
            registry = core;
        } else {
            registry = new RestSchemaRegistryClient(registryUrl, null);
        }
        probe = new DependencyProbe(client, registry);
        resources.add(probe);
        startStreams();
        bindMetrics();
        DistributionSummary delivery = DistributionSummary.builder("kpi_update_delivery_seconds")
                .description("time from a KPI point's publication on kpi-updates to its delivery to live clients")
                .publishPercentiles(0.5, 0.99).register(metrics);
        resources.add(new LiveFeed(client, registry, pointHub, alertHub, ms -> delivery.record(ms / 1000.0)).start());
        EventSink webhookSink = new EventSink(client, registry, "crm-events", "crm-events-dlq").admitting(this::admission);
        resources.add(webhookSink);
        var webhooks = Webhooks.from(config, webhookSink, metrics);
        api = new ApiServer(config.get("host"), config.integer("port"), config.longValue("webhook-max-bytes"),
                new ApiServer.Services(JsonNodeFactory.instance.objectNode().put("reportingCurrency", config.get("reporting-currency"))
                        .put("businessTimeZone", config.zone().getId())
                        .put("leadResponseSla", config.get("lead-response-sla")).put("alertingHorizon", config.get("alerting-horizon")), webhooks, routing(), () -> query,
                        scope -> scope == io.kpipeline.app.http.Routing.Scope.REP_ALERTS ? repAlertStore : alertStore, this::health, metrics, pointHub, alertHub),
                new AccessControl(config.get("api-token"), tls != null), tls).start();
        resources.add(api);
        // closed before the HTTP server, so open event streams end while their responses still exist
        resources.add(pointHub);
        resources.add(alertHub);
        return this;
    }

    private void startStreams() {
        Properties p = new Properties();
        p.putAll(config.kafkaClient(bootstrap));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        StreamsTuning.commitIntervals(p, config.duration("commit-interval"), config.duration("backlog-commit-interval"));
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.longValue("cache-max-bytes"));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        // -1: the broker's default.replication.factor
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.replicationFactor().orElse(config.external() ? -1 : 1));
        // a standby keeps a warm copy of the stores on another instance, so a killed owner's series answer again
        // as soon as the group reassigns them, without a restore from the changelog (no effect on a lone instance)
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.integer("standby-replicas"));
        // how soon the group notices a killed instance (Kafka's default, 45 s, would leave its series dark that long)
        int session = (int) config.duration("session-timeout").toMillis();
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), session);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), Math.max(500, session / 4));
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self);
        Path stateDir = config.dataDir().resolve("streams");
        StateFormat.retireEarlier(stateDir, config.get("application-id"));
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        StreamsTuning.apply(p);
        AlertSettings alerting = new AlertSettings(config.duration("lead-response-escalation"), config.duration("alerting-horizon"),
                config.integer("rep-degraded-leads"), config.duration("rep-degraded-p90"));
        // read once: it parses the rates file, and the state listener below runs on every rebalance
        settings = config.engineSettings();
        var topology = KpiTopology.build(TopicNames.forApplication(applicationId), registry, settings, counters,
                config.duration("publish-interval"), alerting, alertCounters, eventPartitions, config.duration("touchpoint-assembly-wait"));
        streams = new KafkaStreams(topology, p);
        streams.setUncaughtExceptionHandler(this::threadFailed);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                query = new KpiQuery(new RollupSeriesReader(new StoreSeriesReader(localStore(Stores.AGGREGATES))),
                        settings.calendar(), Clock.systemUTC());
                alertStore = localStore(SlaAlertProcessor.ALERTS_STORE);
                fxStore = streams.store(StoreQueryParameters.fromNameAndType(io.kpipeline.streams.topology.FxRateUpdater.STORE,
                        QueryableStoreTypes.<String, String>keyValueStore()));
                repAlertStore = localStore(io.kpipeline.streams.alerts.RepAlertProcessor.REP_ALERTS_STORE);
            }
        });
        streams.start();
        // Leaving the group lets the next start take over at once instead of waiting out the session timeout.
        resources.add(() -> streams.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30))));
    }

    /**
     * Why the engine would refuse a valid event, asked before a webhook answers: the exchange rates of the
     * configuration and those published on the rates topic (once the engine runs), and the correction horizon before
     * this instance's stream time.
     */
    private io.kpipeline.schemas.event.InvalidEventException admission(io.kpipeline.avro.CrmEvent event) {
        io.kpipeline.streams.config.EngineSettings s = settings;
        var rates = fxStore;
        if (rates != null) {
            s = s.withFx(s.fx().withLive(io.kpipeline.streams.topology.FxRateUpdater.source(rates)));
        }
        try {
            return io.kpipeline.streams.event.Admission.refusal(event, s, counters.streamTime());
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            return io.kpipeline.streams.event.Admission.refusal(event, settings, counters.streamTime());
        }
    }

    /**
     * A stream thread died: a passing failure (a broker restart, a timeout) is met by a new thread; the same failure
     * again and again is not retried forever: after {@link #MAX_FAILURES} within {@link #FAILURE_WINDOW} this
     * instance stops processing and /health says DOWN with the cause (its partitions go to the other instances).
     */
    private org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse threadFailed(Throwable e) {
        long now = System.currentTimeMillis();
        synchronized (failures) {
            failures.addLast(now);
            while (!failures.isEmpty() && failures.peekFirst() < now - FAILURE_WINDOW.toMillis()) {
                failures.removeFirst();
            }
            Throwable cause = e.getCause() != null && e instanceof org.apache.kafka.streams.errors.StreamsException ? e.getCause() : e;
            if (failures.size() >= MAX_FAILURES) {
                fatal = failures.size() + " stream-thread failures within " + FAILURE_WINDOW.toMinutes() + " min, the last: " + cause;
                LOG.error("stream processing stopped: {}", fatal, e);
                return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            LOG.error("stream processing failed ({} of {} allowed within {} min); replacing the thread", failures.size(), MAX_FAILURES - 1,
                    FAILURE_WINDOW.toMinutes(), e);
        }
        return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private ReadOnlyKeyValueStore<String, byte[]> localStore(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>keyValueStore()));
    }

    /** Creates the topics that do not exist yet; returns how many partitions crm-events has (it may have existed). */
    private int createTopics(Map<String, Object> client) {
        int partitions = config.integer("partitions");
        // the output topics are read by other people's clients: kept in a codec every client reads without plug-ins
        // (kafkajs reads only gzip natively), the broker recompressing what the engine's producer writes
        Map<String, String> output = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.COMPRESSION_TYPE_CONFIG, io.kpipeline.app.config.Settings.topicCompression(config.get("output-compression")));
        try (Admin admin = Admin.create(client)) {
            short rf = (short) (config.replicationFactor().isPresent() ? config.replicationFactor().getAsInt()
                    : Math.min(3, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size()));
            List<NewTopic> topics = List.of(
                    new NewTopic("crm-events", config.integer("event-partitions"), rf).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
                    new NewTopic("crm-events-dlq", partitions, rf).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
                    new NewTopic("kpi-updates", partitions, rf).configs(output),
                    new NewTopic("kpi-alerts", partitions, rf).configs(output),
                    new NewTopic("kpi-fx-rates", 1, rf).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                    // kept as long as the events: a part may wait for its others, and the assembly's state rebuilds from them
                    new NewTopic(io.kpipeline.schemas.part.EventPart.TOPIC, partitions, rf).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
            create(admin, topics);
            outputCompression(admin, io.kpipeline.app.config.Settings.topicCompression(config.get("output-compression")));
            int events = partitions(admin, "crm-events");
            // the entity stage reads its events and its facts from partitions of the same number
            String facts = TopicNames.forApplication(applicationId).entityFacts();
            create(admin, List.of(new NewTopic(facts, events, rf).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(Duration.ofDays(7).toMillis())))));
            int factPartitions = partitions(admin, facts);
            if (factPartitions != events) {
                throw new IllegalStateException("topic " + facts + " has " + factPartitions + " partitions and crm-events " + events
                        + "; they must be equal (delete " + facts + " while the pipeline is stopped and it is created anew)");
            }
            return events;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics");
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrap + " did not answer: " + e.getMessage());
        }
    }

    /** Sets the output topics' compression on topics that existed before (a change of the setting applies at start). */
    private static void outputCompression(Admin admin, String codec) throws InterruptedException {
        var op = new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry(TopicConfig.COMPRESSION_TYPE_CONFIG, codec),
                org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
        Map<org.apache.kafka.common.config.ConfigResource, java.util.Collection<org.apache.kafka.clients.admin.AlterConfigOp>> ops = new java.util.HashMap<>();
        for (String topic : List.of("kpi-updates", "kpi-alerts")) {
            ops.put(new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic), List.of(op));
        }
        try {
            admin.incrementalAlterConfigs(ops).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("could not set compression.type={} on kpi-updates and kpi-alerts (output-compression): {}", codec,
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
    }

    /** A topic's partition count; a topic just created may take a moment to be known to the broker answering. */
    private static int partitions(Admin admin, String topic) throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void create(Admin admin, List<NewTopic> topics) throws InterruptedException, java.util.concurrent.TimeoutException {
        for (NewTopic t : topics) {
            try {
                admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + t.name() + ": " + e.getCause().getMessage());
                }
            }
        }
    }

    private void bindMetrics() {
        new KafkaStreamsMetrics(streams).bindTo(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        // jvm_gc_live_data_size_bytes: the heap a full or old collection left, the figure that shows a leak
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(metrics);
        resources.add(gc);
        FunctionCounter.builder("kpi_events_applied", counters, EngineCounters::applied)
                .description("events this instance's entity tasks applied (each instance counts its own share)").register(metrics);
        FunctionCounter.builder("kpi_events_duplicate", counters, EngineCounters::duplicates)
                .description("events that repeated an eventId already applied (changed nothing)").register(metrics);
        FunctionCounter.builder("kpi_events_rejected", counters, EngineCounters::rejectedTotal)
                .description("events not applied (invalid, too late, no exchange rate, failed): on the dead-letter topic").register(metrics);
        DistributionSummary lag = DistributionSummary.builder("kpi_processing_lag_seconds")
                .description("time from an event's append to crm-events to its application by the engine (visible to queries at the next commit)")
                .publishPercentiles(0.5, 0.99).register(metrics);
        counters.onApplyLag(ms -> lag.record(ms / 1000.0));
        DistributionSummary freshness = DistributionSummary.builder("kpi_freshness_seconds")
                .description("end-to-end freshness: from an event's append to crm-events to its KPIs being visible to queries")
                .publishPercentileHistogram().register(metrics);
        counters.onFreshness(ms -> freshness.record(ms / 1000.0));
        Timer alertDelay = Timer.builder("kpi_alert_delay").description("time from an SLA deadline to its alert")
                .publishPercentiles(0.5, 0.99).register(metrics);
        alertCounters.onDelay(ms -> alertDelay.record(ms, java.util.concurrent.TimeUnit.MILLISECONDS));
        // counters per reason and per rule appear as reasons and rules are first seen
        java.util.concurrent.ScheduledExecutorService binder = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kpi-metrics-binder");
            t.setDaemon(true);
            return t;
        });
        java.util.Set<String> bound = java.util.concurrent.ConcurrentHashMap.newKeySet();
        binder.scheduleAtFixedRate(() -> {
            bindEach("kpi_events_rejected_by_reason", "reason", "events not applied, by reason (each is on the dead-letter topic with it)",
                    counters.rejectedByReason(), bound);
            bindEach("kpi_alerts_fired", "rule", "alerts fired, by rule", alertCounters.firedByRule(), bound);
            bindEach("kpi_alerts_resolved", "rule", "alerts resolved, by rule", alertCounters.resolvedByRule(), bound);
        }, 0, 2, java.util.concurrent.TimeUnit.SECONDS);
        resources.add(binder::shutdownNow);
        FunctionCounter.builder("kpi_points_published", counters, EngineCounters::publishedPoints)
                .description("KPI points written to kpi-updates").register(metrics);
        FunctionCounter.builder("kpi_alerting_errors", alertCounters, AlertCounters::errors)
                .description("events the alerting stage could not take (their KPIs were applied); the log has each cause").register(metrics);
        io.micrometer.core.instrument.Gauge.builder("kpi_series_awaiting_publication", counters, EngineCounters::awaitingPublication)
                .description("changed series whose KPI points are not yet on kpi-updates").register(metrics);
    }

    private void bindEach(String name, String tag, String help, Map<String, java.util.concurrent.atomic.LongAdder> counts,
                          java.util.Set<String> bound) {
        counts.forEach((value, n) -> {
            if (bound.add(name + "|" + value)) {
                FunctionCounter.builder(name, n, java.util.concurrent.atomic.LongAdder::sum).tag(tag, value).description(help).register(metrics);
            }
        });
    }

    private io.kpipeline.app.http.Routing routing() {
        return new io.kpipeline.app.http.Routing() {
            @Override
            public String ownerOf(String ownerKey) {
                return owner(ownerKey);
            }

            @Override
            public KpiQuery localQuery(String ownerKey) {
                org.apache.kafka.streams.KeyQueryMetadata meta = streams.queryMetadataForKey(Stores.AGGREGATES, ownerKey,
                        new org.apache.kafka.common.serialization.StringSerializer());
                ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(Stores.AGGREGATES,
                        QueryableStoreTypes.<String, byte[]>keyValueStore()).withPartition(meta.partition()));
                return new KpiQuery(new RollupSeriesReader(new StoreSeriesReader(store)), settings.calendar(), Clock.systemUTC());
            }

            @Override
            public Holders holders(Scope scope) {
                return switch (scope) {
                    case AGGREGATES -> holdersOf(Stores.AGGREGATES, KpiTopology.aggregateInput(applicationId));
                    case ALERTS -> holdersOf(SlaAlertProcessor.ALERTS_STORE, KpiTopology.entityInput());
                    case REP_ALERTS -> holdersOf(io.kpipeline.streams.alerts.RepAlertProcessor.REP_ALERTS_STORE, KpiTopology.repInput(applicationId));
                };
            }
        };
    }

    /**
     * The instance that owns the aggregates of {@code ownerKey} ({@code dimension|key}), as {@code host:port}, when it
     * is another one; null when it is this one.
     */
    public String owner(String ownerKey) {
        try {
            // while rebalancing the metadata may be a moment old: an instance asked for a key it no longer owns
            // answers 503, as it does for a forwarded request it cannot serve
            org.apache.kafka.streams.KeyQueryMetadata meta = streams.queryMetadataForKey(Stores.AGGREGATES, ownerKey,
                    new org.apache.kafka.common.serialization.StringSerializer());
            if (meta == null || meta.equals(org.apache.kafka.streams.KeyQueryMetadata.NOT_AVAILABLE)) {
                throw new org.apache.kafka.streams.errors.InvalidStateStoreException("the owner of " + ownerKey + " is not known yet");
            }
            org.apache.kafka.streams.state.HostInfo owner = meta.activeHost();
            String ownerText = owner.host() + ":" + owner.port();
            return ownerText.equals(self) ? null : ownerText;
        } catch (IllegalStateException e) {
            throw new org.apache.kafka.streams.errors.InvalidStateStoreException("streams not running: " + e.getMessage());
        }
    }

    /**
     * The other instances holding active tasks of {@code store}, checked to cover every partition of {@code inputTopic}
     * (the store's input): while one has no active owner, there is no complete answer.
     */
    private io.kpipeline.app.http.Routing.Holders holdersOf(String store, String inputTopic) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new org.apache.kafka.streams.errors.InvalidStateStoreException("streams are " + streams.state() + ", not running");
        }
        java.util.Set<Integer> covered = new java.util.HashSet<>();
        List<String> others = new ArrayList<>();
        boolean mine = false;
        for (org.apache.kafka.streams.StreamsMetadata m : streams.streamsMetadataForStore(store)) {
            boolean holds = false;
            for (org.apache.kafka.common.TopicPartition tp : m.topicPartitions()) {
                if (tp.topic().equals(inputTopic)) {
                    covered.add(tp.partition());
                    holds = true;
                }
            }
            String host = m.hostInfo().host() + ":" + m.hostInfo().port();
            if (holds && host.equals(self)) {
                mine = true;
            } else if (holds) {
                others.add(host);
            }
        }
        if (covered.size() < eventPartitions) {
            throw new org.apache.kafka.streams.errors.InvalidStateStoreException(store + ": " + (eventPartitions - covered.size())
                    + " of " + eventPartitions + " partitions have no active owner (rebalancing)");
        }
        return new io.kpipeline.app.http.Routing.Holders(mine, others);
    }

    /** Per-component readiness; UP only when the stream processors run and their stores answer. */
    public Health health() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        ObjectNode components = doc.putObject("components");
        boolean up = true;
        DependencyProbe.Status kafkaStatus = probe.kafka(), registryStatus = probe.schemaRegistry();
        ObjectNode k = components.putObject("kafka");
        k.put("status", kafkaStatus.up() ? "UP" : "DOWN").put("detail", kafkaStatus.detail()).put("bootstrapServers", bootstrap)
                .put("embedded", kafka != null);
        ObjectNode r = components.putObject("schemaRegistry");
        r.put("status", registryStatus.up() ? "UP" : "DOWN").put("detail", registryStatus.detail()).put("url", registryUrl)
                .put("embedded", embeddedRegistry != null);
        up &= kafkaStatus.up() && registryStatus.up();
        ObjectNode s = components.putObject("streams");
        KafkaStreams.State state = streams.state();
        boolean running = state == KafkaStreams.State.RUNNING && query != null && fatal == null;
        s.put("status", running ? "UP" : "DOWN").put("state", state.name());
        if (fatal != null) {
            s.put("cause", fatal);
        }
        s.put("eventsApplied", counters.applied()).put("duplicates", counters.duplicates()).put("rejected", counters.rejectedTotal());
        // summed over every instance, equal counts mean every change taken so far is visible to queries
        s.put("deltasSent", counters.deltasSent()).put("deltasApplied", counters.deltasApplied());
        s.put("seriesAwaitingPublication", counters.awaitingPublication());
        s.put("alertingErrors", alertCounters.errors());
        if (running) {
            // which instance holds the company-wide KPIs (the busiest key): for operators and fail-over tests
            try {
                String owner = owner(io.kpipeline.streams.aggregate.Cell.ownerKey(io.kpipeline.streams.measure.Dimension.COMPANY, ""));
                s.put("kpiStoresAt", owner != null ? owner : self);
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
                s.putNull("kpiStoresAt");
            }
        }
        up &= running;
        doc.put("status", up ? "UP" : "DOWN");
        return new Health(up, doc);
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    public int httpPort() {
        return api.port();
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("while stopping: {}", e.toString());
            }
        }
        resources.clear();
    }
}
